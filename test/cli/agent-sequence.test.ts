import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import type { z } from 'zod'
import { allRouteSpecs } from '../../src/http/openapi/all-route-specs.ts'
import { type FakeProviderHandle, startFakeProvider } from '../support/fake-provider.ts'
import { type FakeStripe, startFakeStripe } from '../support/fake-stripe.ts'
import { cliBinary, loginThroughBrowser, runCli } from '../support/run-cli.ts'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// The whole agent sequence of issue 5 (llms.txt, docs/cli.md), with the real CLI binary as a
// subprocess against a real gateway: a real user signs in on /device (a scripted HTTP client plays
// the human's browser), then `keys create`, `env >> .env`, `test`, `usage`, `balance`, `keys list`,
// `keys revoke` and `topup` (against a loopback fake Stripe, whose signed webhook then credits the
// real ledger). Every `--json` answer of a management command is checked against the schema
// /openapi.json publishes for that endpoint, so the documented shapes cannot drift from the CLI's.
// The upstream is the fake provider serving one priced model, so `test` costs real money.

const stripeSecretKey = `sk_test_seq_${crypto.randomUUID().replaceAll('-', '')}`
const stripeWebhookSecret = `whsec_seq_${crypto.randomUUID().replaceAll('-', '')}`
const user = { id: '', email: `agent-${crypto.randomUUID()}@example.com`, password: 'correct horse battery staple' }

let fake: FakeProviderHandle
let fakeStripe: FakeStripe
let gateway: TestGateway
let home: string
let env: Record<string, string>

/** The documented 2xx body schema of a route, straight from the OpenAPI source tables. */
function documented(method: string, path: string, status = 200): z.ZodType {
  const schema = allRouteSpecs.find((spec) => spec.method === method && spec.path === path)?.responses[status]?.json
  if (schema == null) throw new Error(`no documented ${status} body for ${method} ${path}`)
  return schema
}

/** Runs a command with `--json`, expects exit 0, and returns the parsed stdout. */
async function json<T = Record<string, unknown>>(args: string[], extraEnv: Record<string, string> = {}): Promise<T> {
  const result = await runCli([...args, '--json'], { ...env, ...extraEnv })
  expect({ args, exitCode: result.exitCode, stderr: result.exitCode === 0 ? '' : result.stderr }).toEqual({ args, exitCode: 0, stderr: '' })
  return JSON.parse(result.stdout) as T
}

beforeAll(async () => {
  fake = startFakeProvider()
  fakeStripe = startFakeStripe({ secretKey: stripeSecretKey })
  const configFile = join(mkdtempSync(join(tmpdir(), 'switchyard-seq-')), 'switchyard.yaml')
  // One priced chat model (USD per million tokens) and only it: `test` picks it by default.
  writeFileSync(
    configFile,
    [
      'providers:',
      `  fake: { type: openai-compatible, base_url: "${fake.url}/v1", api_key: sk-upstream-seq }`,
      'models:',
      '  - { provider: fake, model: fake-model, id: priced, max_output_tokens: 100, pricing: { input: 1000, output: 2000 } }',
      '',
    ].join('\n'),
  )
  gateway = await startTestGateway({
    configFile,
    env: { STRIPE_SECRET_KEY: stripeSecretKey, STRIPE_WEBHOOK_SECRET: stripeWebhookSecret, STRIPE_API_BASE: fakeStripe.url },
  })
  user.id = (await gateway.createUser({ email: user.email, password: user.password, balanceUsd: 5 })).id
  home = mkdtempSync(join(tmpdir(), 'switchyard-home-'))
  env = { HOME: home, SWITCHYARD_API_URL: gateway.url }
})

afterAll(async () => {
  await gateway.stop()
  fakeStripe.close()
  await fake.close()
})

describe('the agent sequence, command by command', () => {
  const created: { id: string; raw: string; other: string } = { id: '', raw: '', other: '' }
  const lastKeyFile = () => join(home, '.switchyard', 'last_key.txt')

  test('login: approved in the browser by the real user; whoami is that user', async () => {
    const login = await loginThroughBrowser(env, user, 'approve')
    expect(login.exitCode).toBe(0)
    const result = JSON.parse(login.stdout) as Record<string, unknown>
    expect(Object.keys(result).sort()).toEqual(['api_url', 'credentials_file', 'logged_in', 'session_id', 'user_id'])
    expect(result).toMatchObject({ logged_in: true, api_url: gateway.url, user_id: user.id })
    expect(statSync(join(home, '.switchyard', 'credentials.json')).mode & 0o777).toBe(0o600)
    const me = documented('get', '/api/v1/me').parse(await json(['whoami']))
    expect(me).toMatchObject({ id: user.id, email: user.email, balance_usd: 5, auth: 'session' })
  }, 30_000)

  test('keys create --json: the raw key once, cached 0600 in last_key.txt; --no-cache leaves the cache alone', async () => {
    const key = documented('post', '/api/v1/me/keys', 201).parse(await json(['keys', 'create', '--name', 'my-project'])) as {
      id: string
      raw: string
      key_prefix: string
    }
    expect(key).toMatchObject({ name: 'my-project', user_id: user.id, scopes: ['chat', 'embeddings'], revoked_at: null })
    expect(key.raw).toMatch(/^sk-sy-/)
    expect(key.raw).toStartWith(key.key_prefix)
    expect(readFileSync(lastKeyFile(), 'utf8')).toBe(`${key.raw}\n`)
    expect(statSync(lastKeyFile()).mode & 0o777).toBe(0o600)
    expect(statSync(join(home, '.switchyard')).mode & 0o777).toBe(0o700)
    created.id = key.id
    created.raw = key.raw

    const uncached = (await json(['keys', 'create', '--name', 'throwaway', '--no-cache'])) as { id: string; raw: string }
    expect(uncached.raw).toMatch(/^sk-sy-/)
    expect(uncached.raw).not.toBe(key.raw)
    expect(readFileSync(lastKeyFile(), 'utf8')).toBe(`${key.raw}\n`)
    created.other = uncached.id
  }, 30_000)

  test('env >> .env appends exactly two lines, and the official SDK works from them', async () => {
    const project = mkdtempSync(join(tmpdir(), 'switchyard-project-'))
    writeFileSync(join(project, '.env'), 'EXISTING=1\n')
    const shell = Bun.spawn(['sh', '-c', `node "${cliBinary}" env >> .env`], {
      cwd: project,
      env: { PATH: process.env.PATH ?? '', ...env },
      stderr: 'pipe',
    })
    expect(await shell.exited).toBe(0)
    const lines = readFileSync(join(project, '.env'), 'utf8').split('\n')
    expect(lines).toEqual(['EXISTING=1', `OPENAI_API_KEY=${created.raw}`, `OPENAI_BASE_URL=${gateway.url}/v1`, ''])
    const values = Object.fromEntries(lines.filter((line) => line.includes('=')).map((line) => line.split('=', 2) as [string, string]))
    const client = new OpenAI({ apiKey: values.OPENAI_API_KEY, baseURL: values.OPENAI_BASE_URL })
    const completion = await client.chat.completions.create({
      model: 'switchyard/echo',
      messages: [{ role: 'user', content: 'from .env' }],
    })
    expect(completion.choices[0]?.message.content).toContain('from .env')
  }, 30_000)

  test('test --json: one paid completion with the cached key on the cheapest priced model', async () => {
    const result = await json<Record<string, unknown>>(['test'])
    expect(Object.keys(result).sort()).toEqual(['cost_usd', 'model', 'ok', 'reply', 'request_id'])
    expect(result).toMatchObject({ ok: true, model: 'priced' })
    expect(String(result.reply)).toContain('OK')
    expect(result.cost_usd as number).toBeGreaterThan(0)
    // request_id is the gateway's x-request-id: the request log explains exactly that request.
    const row = await gateway.waitForLogRow(String(result.request_id))
    expect(row).toMatchObject({ model: 'priced', status: 200, key_id: created.id })
    expect(row.cost_micros).toBe(Math.round((result.cost_usd as number) * 1_000_000))
    // ...and the user's own management API explains it (PRODUCT §5), with the stored session.
    const { access_token: session } = JSON.parse(readFileSync(join(home, '.switchyard', 'credentials.json'), 'utf8'))
    const explained = await fetch(`${gateway.url}/api/v1/requests/${result.request_id}`, {
      headers: { authorization: `Bearer ${session}` },
    })
    expect(explained.status).toBe(200)
    const body = documented('get', '/api/v1/requests/{id}').parse(await explained.json()) as Record<string, unknown>
    expect(body).toMatchObject({ id: result.request_id, model: 'priced', key_id: created.id, cost_micros: row.cost_micros })
    expect(body.routing).toMatchObject({ chosen: 'priced', candidates: [expect.objectContaining({ model: 'priced', provider: 'fake' })] })
  }, 30_000)

  test('usage --json and balance --json: the charge is there, in the documented shapes', async () => {
    // The request log is written in batches: wait until both requests are in.
    let printed: { total_requests?: number } = {}
    for (let attempt = 0; attempt < 40 && printed.total_requests !== 2; attempt++) {
      printed = await json(['usage', '--days', '7'])
      if (printed.total_requests !== 2) await Bun.sleep(50)
    }
    const usage = documented('get', '/api/v1/usage').parse(printed) as {
      range_days: number
      total_requests: number
      total_cost_micros: number
      per_key: Array<{ key_id: string; requests: number }>
      per_model: Array<{ model: string }>
    }
    // Two requests with the cached key: the SDK's echo (free) and `test`'s priced one.
    expect(usage).toMatchObject({ range_days: 7, total_requests: 2 })
    expect(usage.total_cost_micros).toBeGreaterThan(0)
    expect(usage.per_key).toEqual([expect.objectContaining({ key_id: created.id, requests: 2 })])
    expect(usage.per_model.map((row) => row.model).sort()).toEqual(['priced', 'switchyard/echo'])

    const balance = documented('get', '/api/v1/balance').parse(await json(['balance'])) as {
      balance_usd: string
      balance_micros: number
      reserved_micros: number
    }
    expect(balance).toMatchObject({ currency: 'USD', reserved_micros: 0, balance_micros: 5_000_000 - usage.total_cost_micros })
    expect(balance.balance_usd).toBe((balance.balance_micros / 1_000_000).toFixed(6))
    const human = await runCli(['balance'], env)
    expect(human.stdout).toBe(`Balance: $${balance.balance_usd} USD\n`)
  }, 30_000)

  test('keys list and keys revoke: JSON shapes, table, and a revoked key is refused at once', async () => {
    const listed = await json<Array<Record<string, unknown>>>(['keys', 'list'])
    documented('get', '/api/v1/me/keys').parse({ object: 'list', data: listed })
    expect(listed.map((key) => key.name).sort()).toEqual(['my-project', 'throwaway'])
    expect(listed.every((key) => !('raw' in key))).toBe(true)
    const table = await runCli(['keys', 'list'], env)
    expect(table.stdout).toMatch(/^ID\s+NAME\s+PREFIX\s+CREATED\s+REVOKED\n/)
    expect(table.stdout).toContain('throwaway')

    const revoked = documented('delete', '/api/v1/me/keys/{id}').parse(await json(['keys', 'revoke', created.other])) as {
      id: string
      revoked_at: string | null
    }
    expect(revoked.id).toBe(created.other)
    expect(revoked.revoked_at).not.toBeNull()
    const after = await json<Array<{ id: string; revoked_at: string | null }>>(['keys', 'list'])
    expect(after.find((key) => key.id === created.other)?.revoked_at).toBe(revoked.revoked_at)
    expect(after.find((key) => key.id === created.id)?.revoked_at).toBeNull()
    const unknown = await runCli(['keys', 'revoke', 'key_doesnotexist', '--json'], env)
    expect(unknown.exitCode).toBe(1)
    expect(JSON.parse(unknown.stdout).error.details.error.code).toBe('not_found')
  }, 30_000)

  test('topup --json: a checkout URL for the human, nothing credited until Stripe says it was paid', async () => {
    const topup = documented('post', '/api/v1/topup').parse(await json(['topup', '--amount', '5'])) as {
      checkout_url: string
      session_id: string
      amount_usd: string
    }
    expect(topup.amount_usd).toBe('5.00')
    expect(topup.checkout_url).toStartWith(`${fakeStripe.url}/c/pay/`)
    const session = fakeStripe.sessions.get(topup.session_id)
    expect(session).toMatchObject({ amount_total: 500, currency: 'usd', status: 'open' })
    const before = await json<{ balance_micros: number }>(['balance'])
    const delivery = await fakeStripe.signedDelivery(fakeStripe.paidEvent(topup.session_id), stripeWebhookSecret)
    const webhook = await fetch(`${gateway.url}/api/v1/stripe/webhook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': delivery.signature },
      body: delivery.body,
    })
    expect(await webhook.json()).toEqual({ received: true, credited: true })
    const after = await json<{ balance_micros: number }>(['balance'])
    expect(after.balance_micros - before.balance_micros).toBe(5_000_000)
    const human = await runCli(['topup', '--amount', '2'], env)
    expect(human.exitCode).toBe(0)
    expect(human.stdout).toMatch(/never pays\):\nhttp:\/\/127\.0\.0\.1:\d+\/c\/pay\/\S+\n$/)
    const tooSmall = await runCli(['topup', '--amount', '0.5', '--json'], env)
    expect(tooSmall.exitCode).toBe(1)
    expect(JSON.parse(tooSmall.stdout).error.details.error.param).toBe('amount_usd')
  }, 30_000)

  test('logout ends the session; management commands then say to log in', async () => {
    expect(await json(['logout'])).toEqual({ logged_out: true, revoked: true })
    const balance = await runCli(['balance', '--json'], env)
    expect(balance.exitCode).toBe(1)
    expect(JSON.parse(balance.stdout).error.message).toContain('switchyard login')
  }, 30_000)
})

describe('402: an empty balance', () => {
  test('`test` exits 1 and says to top up, in JSON and for a human', async () => {
    const broke = await gateway.createUser({ email: `broke-${crypto.randomUUID()}@example.com`, password: user.password })
    const key = await gateway.createKey({ name: 'broke', userId: broke.id })
    const keyEnv = { ...env, HOME: mkdtempSync(join(tmpdir(), 'switchyard-home-')), SWITCHYARD_API_KEY: key.raw }
    const refused = await runCli(['test', '--json'], keyEnv)
    expect(refused.exitCode).toBe(1)
    const body = JSON.parse(refused.stdout) as { error: { message: string; exit_code: number; details: { error: { code: string } } } }
    expect(body.error.exit_code).toBe(1)
    expect(body.error.details.error.code).toBe('insufficient_quota')
    expect(body.error.message).toContain('HTTP 402')
    expect(body.error.message).toContain('switchyard topup --amount')
    const human = await runCli(['test'], keyEnv)
    expect(human.exitCode).toBe(1)
    expect(human.stdout).toBe('')
    expect(human.stderr).toContain('HTTP 402: the balance is empty')
  }, 30_000)
})
