import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

// `npm run build:binary`'s command, into a temporary directory: the single-file executable must
// answer --help, run a command, and serve. Building takes well under a second on this project.

const root = join(import.meta.dir, '..', '..')
const directory = mkdtempSync(join(tmpdir(), 'switchyard-binary-'))
const binary = join(directory, 'switchyard')

beforeAll(async () => {
  const build = Bun.spawn(
    [
      join(root, 'node_modules', '.bin', 'bun'),
      'build',
      '--compile',
      'src/main.ts',
      'src/store/sqlite/sqlite-write-worker.ts',
      '--outfile',
      binary,
    ],
    {
      cwd: root,
      stdout: 'pipe',
      stderr: 'pipe',
    },
  )
  const exitCode = await build.exited
  if (exitCode !== 0) throw new Error(`bun build --compile failed: ${await new Response(build.stderr).text()}`)
}, 60_000)

afterAll(() => {
  rmSync(directory, { recursive: true, force: true })
})

async function run(args: string[], env: Record<string, string> = {}) {
  const child = Bun.spawn([binary, ...args], { env: { PATH: '/usr/bin:/bin', HOME: directory, ...env }, stdout: 'pipe', stderr: 'pipe' })
  const [stdout, stderr, exitCode] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited])
  return { stdout, stderr, exitCode }
}

describe('single-file executable', () => {
  test('--help lists the commands', async () => {
    const help = await run(['--help'])
    expect(help.exitCode).toBe(0)
    for (const command of ['serve', 'admin']) expect(help.stdout).toContain(command)
  })

  test('a client command keeps the exit-code contract (2 when the gateway is down)', async () => {
    const down = await run(['admin', 'keys', 'list', '--json'], { SWITCHYARD_API_URL: 'http://127.0.0.1:1', SWITCHYARD_ADMIN_TOKEN: 'x' })
    expect(down.exitCode).toBe(2)
    expect(JSON.parse(down.stdout).error.exit_code).toBe(2)
  })

  test('serve starts, answers /healthz and /openapi.json, and stops on SIGTERM', async () => {
    const child = Bun.spawn([binary, 'serve', '--port', '0', '--host', '127.0.0.1', '--db', `sqlite:${join(directory, 'db.sqlite')}`], {
      env: { PATH: '/usr/bin:/bin', HOME: directory, SWITCHYARD_LOG_LEVEL: 'warn' },
      stdout: 'pipe',
      stderr: 'pipe',
    })
    const reader = child.stderr.getReader()
    let banner = ''
    while (!/listening on \S+/.test(banner)) {
      const { done, value } = await reader.read()
      if (done) break
      banner += new TextDecoder().decode(value)
    }
    const url = /listening on (http:\/\/\S+) /.exec(banner)?.[1]
    expect(url).toBeDefined()
    expect((await fetch(`${url}/healthz`)).status).toBe(200)
    const document = (await (await fetch(`${url}/openapi.json`)).json()) as { openapi: string }
    expect(document.openapi).toBe('3.1.0')
    child.kill('SIGTERM')
    expect(await child.exited).toBe(0)
  })
})
