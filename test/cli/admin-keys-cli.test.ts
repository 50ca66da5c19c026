import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import { adminCliEnv, cliBinary, runCli } from '../support/run-cli.ts'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// The real `switchyard` binary (bin/switchyard.cjs, the one npx runs) as a subprocess against a real gateway.

let gateway: TestGateway
let env: Record<string, string>

beforeAll(async () => {
  gateway = await startTestGateway()
  env = adminCliEnv(gateway)
})

afterAll(async () => {
  await gateway.stop()
})

describe('switchyard admin keys', () => {
  test('create --json prints the documented shape, and the key works', async () => {
    const result = await runCli(
      ['admin', 'keys', 'create', '--name', 'cli-key', '--user', gateway.defaultUserEmail, '--scopes', 'chat,embeddings', '--json'],
      env,
    )
    expect(result.exitCode).toBe(0)
    const created = JSON.parse(result.stdout)
    expect(Object.keys(created).sort()).toEqual(['created_at', 'id', 'key_prefix', 'name', 'raw', 'scopes'])
    expect(created.raw).toMatch(/^sk-sy-[A-Za-z0-9]{40}$/)
    expect(created.raw.startsWith(created.key_prefix)).toBe(true)
    expect(created.scopes).toEqual(['chat', 'embeddings'])
    const client = new OpenAI({ apiKey: created.raw, baseURL: gateway.baseUrl, maxRetries: 0 })
    const completion = await client.chat.completions.create({ model: 'echo', messages: [{ role: 'user', content: 'from cli' }] })
    expect(completion.choices[0]?.message.content).toContain('from cli')

    const listed = await runCli(['admin', 'keys', 'list', '--json'], env)
    expect(listed.exitCode).toBe(0)
    const keys = JSON.parse(listed.stdout) as Array<Record<string, unknown>>
    expect(keys.some((key) => key.id === created.id)).toBe(true)
    expect(listed.stdout).not.toContain(created.raw)

    const human = await runCli(['admin', 'keys', 'list'], env)
    expect(human.stdout).toMatch(/^ID\s+NAME\s+PREFIX/)

    const revoked = await runCli(['admin', 'keys', 'revoke', created.id, '--json'], { ...env, SWITCHYARD_JSON: '1' })
    expect(revoked.exitCode).toBe(0)
    expect(JSON.parse(revoked.stdout).revoked_at).not.toBeNull()
    const refused = await client.chat.completions.create({ model: 'echo', messages: [{ role: 'user', content: 'x' }] }).then(
      () => 'accepted',
      (error: { status: number }) => error.status,
    )
    expect(refused).toBe(401)
  })

  test('exit codes: 1 for a 4xx or bad usage, 2 when the gateway is unreachable', async () => {
    const wrongToken = await runCli(['admin', 'keys', 'list', '--json'], { ...env, SWITCHYARD_ADMIN_TOKEN: 'wrong' })
    expect(wrongToken.exitCode).toBe(1)
    expect(JSON.parse(wrongToken.stdout).error.message).toContain('admin token')
    const unknownKey = await runCli(['admin', 'keys', 'revoke', 'key_missing'], env)
    expect(unknownKey.exitCode).toBe(1)
    expect(unknownKey.stderr).toContain('No API key')
    const missingName = await runCli(['admin', 'keys', 'create'], env)
    expect(missingName.exitCode).toBe(1)
    const down = await runCli(['admin', 'keys', 'list'], { ...env, SWITCHYARD_API_URL: 'http://127.0.0.1:1' })
    expect(down.exitCode).toBe(2)
    expect(down.stderr).toContain('Cannot reach the gateway')
  })

  test('--help on every command shows an example', async () => {
    for (const args of [
      ['serve', '--help'],
      ['admin', 'keys', 'create', '--help'],
      ['admin', 'keys', 'list', '--help'],
      ['admin', 'keys', 'revoke', '--help'],
      ['admin', 'users', 'create', '--help'],
      ['admin', 'users', 'list', '--help'],
      ['admin', 'credit', '--help'],
    ]) {
      const result = await runCli(args, { HOME: process.env.HOME ?? '/tmp' })
      expect(result.exitCode).toBe(0)
      expect(result.stdout).toContain('Example')
    }
  })
})

describe('switchyard serve', () => {
  test('a bad config file stops start-up with an error naming the file and field', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-cli-'))
    const file = join(directory, 'switchyard.yaml')
    writeFileSync(file, 'providers:\n  mine:\n    type: openai-compatible\n    base_url: nope\n')
    const result = await runCli(['serve', '--port', '0', '--config', file, '--db', 'sqlite::memory:'], { HOME: process.env.HOME ?? '/tmp' })
    expect(result.exitCode).toBe(1)
    expect(result.stderr).toContain(file)
    expect(result.stderr).toContain('providers.mine.base_url')
  })

  test('starts, prints the admin token once, answers, and shuts down cleanly on SIGTERM', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-serve-'))
    const child = Bun.spawn(
      ['node', cliBinary, 'serve', '--port', '0', '--host', '127.0.0.1', '--db', `sqlite:${join(directory, 'db.sqlite')}`],
      {
        env: { PATH: process.env.PATH ?? '', HOME: directory, SWITCHYARD_LOG_LEVEL: 'warn' },
        stdout: 'pipe',
        stderr: 'pipe',
      },
    )
    const reader = child.stderr.getReader()
    let banner = ''
    while (!/Admin token[^\n]*\n/.test(banner)) {
      const { done, value } = await reader.read()
      if (done) break
      banner += new TextDecoder().decode(value)
    }
    const url = /listening on (http:\/\/\S+) /.exec(banner)?.[1]
    const token = /Admin token[^:]*: (sy-admin-\S+)/.exec(banner)?.[1]
    expect(url).toBeDefined()
    expect(token).toBeDefined()
    const health = await fetch(`${url}/healthz`)
    expect(health.status).toBe(200)
    const keys = await fetch(`${url}/api/v1/admin/keys`, { headers: { authorization: `Bearer ${token}` } })
    expect(keys.status).toBe(200)
    child.kill('SIGTERM')
    expect(await child.exited).toBe(0)
  })
})
