import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loginThroughBrowser, runCli } from '../support/run-cli.ts'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// The real `switchyard` binary as a subprocess against a real gateway, with HOME pointed at a fresh
// directory so credentials and the cached key are the test's own. Login signs in as a real user
// (admin-created with a password). The whole agent sequence is in agent-sequence.test.ts.

const user = { id: '', email: `cli-${crypto.randomUUID()}@example.com`, password: 'correct horse battery staple' }
let gateway: TestGateway
let home: string
let env: Record<string, string>

beforeAll(async () => {
  gateway = await startTestGateway()
  user.id = (await gateway.createUser({ email: user.email, password: user.password })).id
  home = mkdtempSync(join(tmpdir(), 'switchyard-home-'))
  env = { HOME: home, SWITCHYARD_API_URL: gateway.url }
})

afterAll(async () => {
  await gateway.stop()
})

describe('login, whoami, logout (device flow + sessions)', () => {
  test('login approved in the browser stores a 0600 session; whoami uses it; logout revokes it', async () => {
    const login = await loginThroughBrowser(env, user, 'approve')
    expect(login.exitCode).toBe(0)
    expect(login.userCode).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/)
    const result = JSON.parse(login.stdout)
    expect(result).toMatchObject({ logged_in: true, api_url: gateway.url, user_id: user.id })
    const credentialsFile = join(home, '.switchyard', 'credentials.json')
    expect(result.credentials_file).toBe(credentialsFile)
    expect(statSync(credentialsFile).mode & 0o777).toBe(0o600)
    const stored = JSON.parse(readFileSync(credentialsFile, 'utf8'))
    expect(stored.access_token).toMatch(/^sy-session-/)

    const whoami = await runCli(['whoami', '--json'], env)
    expect(whoami.exitCode).toBe(0)
    // No API key yet: `models` reads the catalogue with the session.
    const models = await runCli(['models', '--json'], env)
    expect(models.exitCode).toBe(0)
    expect((JSON.parse(models.stdout) as Array<{ id: string }>).some((model) => model.id === 'switchyard/echo')).toBe(true)
    expect(JSON.parse(whoami.stdout)).toMatchObject({ id: user.id, email: user.email, auth: 'session' })

    const logout = await runCli(['logout', '--json'], env)
    expect(logout.exitCode).toBe(0)
    expect(JSON.parse(logout.stdout)).toEqual({ logged_out: true, revoked: true })
    // The token itself is dead on the gateway, not only forgotten locally.
    const reused = await fetch(`${gateway.url}/api/v1/auth/session`, { headers: { authorization: `Bearer ${stored.access_token}` } })
    expect(reused.status).toBe(401)
    const after = await runCli(['whoami', '--json'], env)
    expect(after.exitCode).toBe(1)
    expect(JSON.parse(after.stdout).error.message).toContain('Not logged in')
  }, 30_000)

  test('a denied login exits 3 with a clear message', async () => {
    const denied = await loginThroughBrowser({ ...env, HOME: mkdtempSync(join(tmpdir(), 'switchyard-home-')) }, user, 'deny')
    expect(denied.exitCode).toBe(3)
    expect(JSON.parse(denied.stdout).error.message).toContain('denied')
  }, 30_000)
})

describe('env, models, test (data plane with a key)', () => {
  test('env prints exactly two lines from the cached last key; --key wins', async () => {
    const key = await gateway.createKey({ name: 'cli-env' })
    const keyHome = mkdtempSync(join(tmpdir(), 'switchyard-home-'))
    mkdirSync(join(keyHome, '.switchyard'))
    writeFileSync(join(keyHome, '.switchyard', 'last_key.txt'), `${key.raw}\n`)
    const printed = await runCli(['env'], { ...env, HOME: keyHome })
    expect(printed.exitCode).toBe(0)
    expect(printed.stdout).toBe(`OPENAI_API_KEY=${key.raw}\nOPENAI_BASE_URL=${gateway.url}/v1\n`)
    const flagged = await runCli(['env', '--key', 'sk-sy-other', '--json'], { ...env, HOME: keyHome })
    expect(JSON.parse(flagged.stdout)).toEqual({ OPENAI_API_KEY: 'sk-sy-other', OPENAI_BASE_URL: `${gateway.url}/v1` })
    const none = await runCli(['env'], { ...env, HOME: mkdtempSync(join(tmpdir(), 'switchyard-home-')) })
    expect(none.exitCode).toBe(1)
    expect(none.stderr).toContain('No API key available')
  }, 30_000)

  test('models lists the catalogue with prices (JSON and table)', async () => {
    const key = await gateway.createKey({ name: 'cli-models' })
    const listed = await runCli(['models', '--json'], { ...env, SWITCHYARD_API_KEY: key.raw })
    expect(listed.exitCode).toBe(0)
    const models = JSON.parse(listed.stdout) as Array<{ id: string; pricing: unknown }>
    expect(models.some((model) => model.id === 'switchyard/echo')).toBe(true)
    expect(models.every((model) => 'pricing' in model)).toBe(true)
    const table = await runCli(['models'], { ...env, SWITCHYARD_API_KEY: key.raw })
    expect(table.stdout).toMatch(/^MODEL\s+INPUT \$\/M\s+OUTPUT \$\/M/)
    expect(table.stdout).not.toContain('\u001b[') // no colours off a terminal
  }, 30_000)

  test('test sends one completion with the cheapest available model', async () => {
    const key = await gateway.createKey({ name: 'cli-test' })
    const tested = await runCli(['test', '--json'], { ...env, SWITCHYARD_API_KEY: key.raw })
    expect(tested.exitCode).toBe(0)
    const result = JSON.parse(tested.stdout)
    expect(Object.keys(result).sort()).toEqual(['cost_usd', 'model', 'ok', 'reply', 'request_id'])
    expect(result).toMatchObject({ ok: true, model: 'switchyard/echo' })
    expect(result.reply).toContain('OK')
    const human = await runCli(['test', '--model', 'echo'], { ...env, SWITCHYARD_API_KEY: key.raw })
    expect(human.stdout).toStartWith('OK connected (switchyard/echo)')
  }, 30_000)
})

describe('exit codes', () => {
  test('1 on a 4xx (bad key, unknown model, bad flags)', async () => {
    const badKey = await runCli(['models', '--json'], { ...env, SWITCHYARD_API_KEY: 'sk-sy-wrong' })
    expect(badKey.exitCode).toBe(1)
    expect(JSON.parse(badKey.stdout).error.exit_code).toBe(1)
    const key = await gateway.createKey({ name: 'cli-codes' })
    const unknownModel = await runCli(['test', '--model', 'nope/never'], { ...env, SWITCHYARD_API_KEY: key.raw })
    expect(unknownModel.exitCode).toBe(1)
    expect((await runCli(['usage', '--days', '0'], env)).exitCode).toBe(1)
    expect((await runCli(['topup', '--amount', '-5'], env)).exitCode).toBe(1)
  }, 30_000)

  test('2 when the gateway is unreachable, for every kind of command', async () => {
    const down = { ...env, SWITCHYARD_API_URL: 'http://127.0.0.1:1', SWITCHYARD_API_KEY: 'sk-sy-x' }
    for (const args of [
      ['login'],
      ['models'],
      ['test'],
      ['whoami'],
      ['balance'],
      ['keys', 'list'],
      ['usage'],
      ['topup', '--amount', '5'],
    ]) {
      const result = await runCli([...args, '--json'], down)
      expect({ args, exitCode: result.exitCode }).toEqual({ args, exitCode: 2 })
    }
  }, 30_000)

  test('3 when the gateway answers 5xx', async () => {
    const broken = Bun.serve({
      port: 0,
      hostname: '127.0.0.1',
      fetch: () => Response.json({ error: { message: 'boom', type: 'server_error' } }, { status: 500 }),
    })
    try {
      const brokenEnv = { ...env, SWITCHYARD_API_URL: `http://127.0.0.1:${broken.port}`, SWITCHYARD_API_KEY: 'sk-sy-x' }
      for (const args of [['login'], ['models'], ['test', '--model', 'x'], ['balance']]) {
        const result = await runCli([...args, '--json'], brokenEnv)
        expect({ args, exitCode: result.exitCode }).toEqual({ args, exitCode: 3 })
      }
    } finally {
      await broken.stop(true)
    }
  }, 30_000)

  test('--help on every command shows an example', async () => {
    for (const args of [
      ['login'],
      ['logout'],
      ['whoami'],
      ['keys', 'create'],
      ['keys', 'list'],
      ['keys', 'revoke'],
      ['balance'],
      ['topup'],
      ['usage'],
      ['env'],
      ['test'],
      ['models'],
    ]) {
      const result = await runCli([...args, '--help'], env)
      expect({ args, exitCode: result.exitCode }).toEqual({ args, exitCode: 0 })
      expect(result.stdout).toContain('Example')
    }
  }, 30_000)
})
