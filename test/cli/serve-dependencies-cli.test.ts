import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { spawnCli } from '../support/run-cli.ts'

// `switchyard serve` (the real binary, bin/switchyard.cjs) with a dependency that is not there:
// it must not hang or print a stack trace, but exit 2 (cannot be reached) at once with one line
// naming the URL, password hidden. Needs no Redis or PostgreSQL: the URLs point at a closed port.

const home = mkdtempSync(join(tmpdir(), 'switchyard-serve-deps-'))

afterAll(() => {
  rmSync(home, { recursive: true, force: true })
})

/** A loopback port nothing listens on: the OS hands one out, and it is closed again. */
function closedPort(): number {
  const listener = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
  const { port } = listener
  listener.stop(true)
  return port
}

async function serve(args: string[], env: Record<string, string> = {}) {
  const started = Date.now()
  const child = spawnCli(['serve', '--port', '0', '--host', '127.0.0.1', ...args], { HOME: home, SWITCHYARD_LOG_LEVEL: 'warn', ...env })
  const output = Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text()])
  const exited = await Promise.race([child.exited.then(() => true), Bun.sleep(10_000).then(() => false)])
  if (!exited) child.kill('SIGKILL')
  const [stdout, stderr] = await output
  return { exited, exitCode: child.exitCode, ms: Date.now() - started, stdout, stderr }
}

describe('switchyard serve with a dependency that does not answer', () => {
  test('an unreachable Redis: exit 2 within seconds, one line naming it without its password', async () => {
    const port = closedPort()
    const result = await serve(['--db', `sqlite:${join(home, 'redis-case.db')}`, '--redis', `redis://:hunter2@127.0.0.1:${port}`])
    expect(result.exited).toBe(true)
    expect(result.ms).toBeLessThan(5000)
    expect(result.exitCode).toBe(2)
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(new RegExp(`^error: Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${port} did not answer`)),
    ])
    expect(result.stderr + result.stdout).not.toContain('hunter2')
    expect(result.stderr).not.toContain('listening')
  }, 15_000)

  test('an unreachable PostgreSQL: exit 2, one line naming it without its password', async () => {
    const port = closedPort()
    const result = await serve([], { SWITCHYARD_DATABASE_URL: `postgres://postgres:hunter2@127.0.0.1:${port}/test` })
    expect(result.exited).toBe(true)
    expect(result.ms).toBeLessThan(5000)
    expect(result.exitCode).toBe(2)
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(
        new RegExp(`^error: Could not open the database at postgres://postgres:\\*\\*\\*@127\\.0\\.0\\.1:${port}/test: `),
      ),
    ])
    expect(result.stderr + result.stdout).not.toContain('hunter2')
  }, 15_000)

  test('--json puts the same message in the documented error shape', async () => {
    const port = closedPort()
    const result = await serve(['--db', `sqlite:${join(home, 'json-case.db')}`, '--redis', `redis://127.0.0.1:${port}`], {
      SWITCHYARD_JSON: '1',
    })
    expect(result.exitCode).toBe(2)
    const { error } = JSON.parse(result.stdout) as { error: { message: string; exit_code: number } }
    expect(error.exit_code).toBe(2)
    expect(error.message).toStartWith(`Redis at redis://127.0.0.1:${port} did not answer`)
  }, 15_000)
})
