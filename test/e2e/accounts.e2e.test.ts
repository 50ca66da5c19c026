import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import pino from 'pino'
import type { SessionAuthenticator } from '../../src/accounts/session-authenticator.ts'
import { type FakeProviderHandle, startFakeProvider } from '../support/fake-provider.ts'
import { settle } from '../support/settle.ts'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// Users, keys, money and the management API over real HTTP, with the official SDK where a client
// app would use it. One gateway on a SQLite file, so the canary test can read the database bytes.

const canary = {
  password: 'CANARY-password-7f3a9c1e',
  upstreamKey: 'sk-upstream-CANARY-55aa11',
}
const logLines: string[] = []
const sessions: SessionAuthenticator = {
  async authenticate(token) {
    const [prefix, userId] = token.split(':')
    return prefix === 'test-session' && userId != null ? { userId, sessionId: `ses_${userId}` } : undefined
  },
}

let fake: FakeProviderHandle
let gateway: TestGateway
let databaseDirectory: string
const rawKeys: string[] = []

function writeConfig(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'switchyard-accounts-')), 'switchyard.yaml')
  writeFileSync(
    file,
    [
      'models:',
      '  - { provider: openai, model: fake-model, id: priced, max_output_tokens: 100, pricing: { input: 1000, output: 1000 } }',
      '  - { provider: openai, model: fake-drip-100, id: priced-slow, max_output_tokens: 100, pricing: { input: 1000, output: 1000 } }',
      '  - { provider: openai, model: fake-cut-2, id: priced-cut, max_output_tokens: 100, pricing: { input: 1000, output: 1000 } }',
      '',
    ].join('\n'),
  )
  return file
}

beforeAll(async () => {
  fake = startFakeProvider()
  databaseDirectory = mkdtempSync(join(tmpdir(), 'switchyard-accounts-db-'))
  const logger = pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) })
  gateway = await startTestGateway({
    env: { OPENAI_API_KEY: canary.upstreamKey, OPENAI_BASE_URL: `${fake.url}/v1` },
    configFile: writeConfig(),
    db: `sqlite:${join(databaseDirectory, 'switchyard.db')}`,
    sessions,
    logger,
  })
})

afterAll(async () => {
  await gateway.stop()
  await fake.close()
})

type Json = Record<string, unknown>

async function call(token: string, method: string, path: string, body?: unknown): Promise<{ status: number; body: Json; text: string }> {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  })
  const text = await response.text()
  return { status: response.status, body: JSON.parse(text) as Json, text }
}

async function userWithKey(options: { balanceUsd: number; scopes?: string[]; extra?: Json }) {
  const user = await gateway.createUser({ balanceUsd: options.balanceUsd, password: canary.password })
  const key = await gateway.createKey({
    userId: user.id,
    scopes: options.scopes ?? ['chat', 'embeddings', 'manage'],
    ...(options.extra == null ? {} : { extra: options.extra }),
  })
  rawKeys.push(key.raw)
  return { user, key, client: new OpenAI({ apiKey: key.raw, baseURL: gateway.baseUrl, maxRetries: 0 }) }
}

describe("ownership: another user's object is a 404, a user key on admin routes is a 403", () => {
  test('every id-taking route, by key and by session', async () => {
    const alice = await userWithKey({ balanceUsd: 1 })
    const bob = await userWithKey({ balanceUsd: 1 })
    const { response } = await bob.client.chat.completions
      .create({ model: 'priced', messages: [{ role: 'user', content: 'mine' }] })
      .withResponse()
    const bobRequestId = response.headers.get('x-request-id') ?? ''
    await gateway.waitForLogRow(bobRequestId)
    // Bob can see his own objects: the 404s below are about ownership, not absence.
    expect((await call(bob.key.raw, 'GET', `/api/v1/requests/${bobRequestId}`)).status).toBe(200)
    expect((await call(bob.key.raw, 'GET', `/api/v1/me/keys/${bob.key.id}`)).status).toBe(200)

    const idRoutes: Array<[string, string]> = [
      ['GET', `/api/v1/me/keys/${bob.key.id}`],
      ['DELETE', `/api/v1/me/keys/${bob.key.id}`],
      ['GET', `/api/v1/requests/${bobRequestId}`],
    ]
    for (const credential of [alice.key.raw, `test-session:${alice.user.id}`]) {
      for (const [method, path] of idRoutes) {
        const answer = await call(credential, method, path)
        expect({ method, path, status: answer.status }).toEqual({ method, path, status: 404 })
        expect(answer.body).toMatchObject({ error: { code: 'not_found' } })
      }
      const listedKeys = await call(credential, 'GET', '/api/v1/me/keys')
      expect((listedKeys.body.data as Json[]).map((key) => key.id)).toEqual([alice.key.id])
      const listedRequests = await call(credential, 'GET', '/api/v1/requests')
      expect((listedRequests.body.data as Json[]).some((row) => row.id === bobRequestId)).toBe(false)
    }
    // Bob's key survived Alice's attempts to revoke it.
    expect((await call(bob.key.raw, 'GET', `/api/v1/me/keys/${bob.key.id}`)).body.revoked_at).toBeNull()

    const adminRoutes: Array<[string, string, unknown?]> = [
      ['GET', '/api/v1/admin/users'],
      ['POST', '/api/v1/admin/users', { email: 'x@example.com' }],
      ['GET', `/api/v1/admin/users/${bob.user.id}`],
      ['POST', '/api/v1/admin/credits', { user_id: alice.user.id, amount_usd: 100, note: 'free money' }],
      ['GET', '/api/v1/admin/keys'],
      ['POST', '/api/v1/admin/keys', { name: 'x', user_id: alice.user.id }],
      ['GET', `/api/v1/admin/keys/${bob.key.id}`],
      ['DELETE', `/api/v1/admin/keys/${bob.key.id}`],
      ['GET', '/api/v1/admin/requests'],
      ['GET', `/api/v1/admin/requests/${bobRequestId}`],
      ['GET', '/api/v1/admin/ledger'],
      ['GET', '/api/v1/admin/stats'],
      ['GET', '/api/v1/admin/audit'],
    ]
    for (const [method, path, body] of adminRoutes) {
      const answer = await call(alice.key.raw, method, path, body)
      expect({ method, path, status: answer.status }).toEqual({ method, path, status: 403 })
    }
    // The admin token reaches any object.
    expect((await gateway.admin('GET', `/api/v1/admin/keys/${bob.key.id}`)).status).toBe(200)
    expect((await gateway.admin('GET', '/api/v1/admin/keys/key_missing')).status).toBe(404)
  })

  test('the management API needs the manage scope or a session; unknown sessions are 401', async () => {
    const chatOnly = await userWithKey({ balanceUsd: 0, scopes: ['chat'] })
    expect((await call(chatOnly.key.raw, 'GET', '/api/v1/me')).status).toBe(403)
    expect((await call('test-session-nope', 'GET', '/api/v1/me')).status).toBe(401)
    const me = await call(`test-session:${chatOnly.user.id}`, 'GET', '/api/v1/me')
    expect(me.status).toBe(200)
    expect(me.body).toMatchObject({ id: chatOnly.user.id, auth: 'session' })
  })
})

describe('money through the API', () => {
  test('a non-streaming success is charged its real cost; balance and usage report it', async () => {
    const { client, key } = await userWithKey({ balanceUsd: 1 })
    const completion = await client.chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'two words' }] })
    // Fake usage: prompt 2 words, reply "echo: two words" 3 words, at 1,000 µ$ a token.
    expect((completion.usage as unknown as { cost: number }).cost).toBe(0.005)
    await gateway.accounts.ledger.flush()
    const balance = await call(key.raw, 'GET', '/api/v1/balance')
    expect(balance.body).toMatchObject({ balance_micros: 995_000, balance_usd: '0.995000', reserved_micros: 0, currency: 'USD' })
    await Bun.sleep(300) // the request log is written in batches
    const usage = await call(key.raw, 'GET', '/api/v1/usage?days=7')
    expect(usage.body).toMatchObject({
      range_days: 7,
      total_requests: 1,
      total_tokens_in: 2,
      total_tokens_out: 3,
      total_cost_usd: '0.005000',
    })
    expect((usage.body.per_model as Json[])[0]).toMatchObject({ model: 'priced', requests: 1, cost_micros: 5_000 })
    expect((usage.body.per_key as Json[])[0]).toMatchObject({ key_id: key.id })
    for (const days of ['0', '366', 'x']) expect((await call(key.raw, 'GET', `/api/v1/usage?days=${days}`)).status).toBe(400)
  })

  test('402 insufficient_quota names the limit: balance, key ceiling, monthly budget; SDKs are told not to retry', async () => {
    const poor = await userWithKey({ balanceUsd: 0.01 })
    const refused = await poor.client.chat.completions
      .create({ model: 'priced', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] })
      .withResponse()
      .catch((error: { status: number; headers: Headers; error: Json }) => error)
    expect(refused).toMatchObject({ status: 402, error: { code: 'insufficient_quota', type: 'insufficient_quota', param: 'balance' } })
    expect((refused as { headers: Headers }).headers.get('x-should-retry')).toBe('false')
    // A smaller max_tokens fits.
    expect(
      (await poor.client.chat.completions.create({ model: 'priced', max_tokens: 2, messages: [{ role: 'user', content: 'hi' }] }))
        .choices[0]?.message.content,
    ).toContain('hi')

    const capped = await userWithKey({ balanceUsd: 10, extra: { limit_usd: 0.005 } })
    const overCeiling = await settle(
      capped.client.chat.completions.create({ model: 'priced', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    )
    expect(overCeiling).toMatchObject({ status: 402, error: { param: 'key_limit' } })
    const budgeted = await userWithKey({ balanceUsd: 10, extra: { monthly_budget_usd: 0.005 } })
    const overBudget = await settle(
      budgeted.client.chat.completions.create({ model: 'priced', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    )
    expect(overBudget).toMatchObject({ status: 402, error: { param: 'monthly_budget' } })
  })

  test('an aborted stream is charged for what was delivered; a stream the provider breaks off is not charged', async () => {
    const { client, user } = await userWithKey({ balanceUsd: 1 })
    const stream = await client.chat.completions.create({
      model: 'priced-slow',
      stream: true,
      messages: [{ role: 'user', content: 'one two three four five six' }],
    })
    let requestId = ''
    for await (const chunk of stream) {
      requestId = chunk.id
      if (chunk.choices[0]?.delta.content) break // abort after the first content
    }
    expect(requestId).not.toBe('')
    const cut = await settle(
      (async () => {
        const broken = await client.chat.completions.create({
          model: 'priced-cut',
          stream: true,
          messages: [{ role: 'user', content: 'a b c d e f' }],
        })
        for await (const _ of broken) {
        }
      })(),
    )
    expect(cut).toBeInstanceOf(Error)
    await Bun.sleep(300)
    await gateway.accounts.ledger.flush()
    const ledger = (await gateway.admin<{ data: Json[] }>('GET', `/api/v1/admin/ledger?user_id=${user.id}`)).body.data
    const charges = ledger.filter((row) => row.kind === 'charge')
    // Only the aborted stream was charged, at the request log's (estimated) cost.
    expect(charges.length).toBe(1)
    const logged = (await gateway.admin<{ data: Json[] }>('GET', `/api/v1/admin/requests?key_id=${charges[0]?.key_id}`)).body.data
    const aborted = logged.find((row) => row.error_code === 'client_aborted')
    expect(aborted).toBeDefined()
    expect(charges[0]?.id).toBe(aborted?.id)
    expect(charges[0]?.amount_micros).toBe(-(aborted?.cost_micros as number))
    expect(aborted?.cost_micros as number).toBeGreaterThan(0)
    expect((await gateway.accounts.ledger.balance(user.id)).reservedMicros).toBe(0)
  })

  test('a key limited to some models gets a 403 naming the model; an expired key is a 401', async () => {
    const limited = await userWithKey({ balanceUsd: 1, extra: { allowed_models: ['openai/*'] } })
    expect(
      (await limited.client.chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'ok' }] })).choices.length,
    ).toBe(1)
    const denied = await settle(
      limited.client.chat.completions.create({ model: 'switchyard/echo', messages: [{ role: 'user', content: 'no' }] }),
    )
    expect(denied).toMatchObject({ status: 403 })
    expect((denied as Error).message).toContain('switchyard/echo')
    const expiresAt = Date.now() + 2_000
    const expiring = await userWithKey({ balanceUsd: 1, extra: { expires_at: new Date(expiresAt).toISOString() } })
    expect(
      (await expiring.client.chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'in time' }] })).choices.length,
    ).toBe(1)
    await Bun.sleep(expiresAt - Date.now() + 50)
    const expired = await settle(
      expiring.client.chat.completions.create({ model: 'priced', messages: [{ role: 'user', content: 'late' }] }),
    )
    expect(expired).toMatchObject({ status: 401 })
    expect((expired as Error).message).toContain('expired')
  })

  test("a key's allowed models narrow routing: a models list keeps the allowed ones, the auto-router picks among them", async () => {
    const limited = await userWithKey({ balanceUsd: 1, extra: { allowed_models: ['priced'] } })
    const listed = await limited.client.chat.completions
      .create({ model: 'switchyard/echo', models: ['priced'], messages: [{ role: 'user', content: 'list' }] } as never)
      .withResponse()
    expect(listed.response.headers.get('x-switchyard-model')).toBe('priced')
    // The echo model was never a candidate for this key, so nothing fell back.
    expect(listed.response.headers.get('x-switchyard-fallbacks')).toBe('0')
    const routed = await limited.client.chat.completions
      .create({ model: 'router', messages: [{ role: 'user', content: 'Say hello.' }] })
      .withResponse()
    expect(routed.response.headers.get('x-switchyard-model')).toBe('priced')
    const none = await settle(
      limited.client.chat.completions.create({
        model: 'switchyard/echo',
        models: ['priced-slow'],
        messages: [{ role: 'user', content: 'no' }],
      } as never),
    )
    expect(none).toMatchObject({ status: 403 })
    expect((none as Error).message).toContain('switchyard/echo')
  })

  test('credits are applied once per idempotency key', async () => {
    const user = await gateway.createUser()
    const body = { user_id: user.id, amount_usd: 2.5, note: 'refund', idempotency_key: 'ticket-42' }
    const first = await gateway.admin<Json>('POST', '/api/v1/admin/credits', body)
    const again = await gateway.admin<Json>('POST', '/api/v1/admin/credits', body)
    expect(first).toMatchObject({ status: 201, body: { applied: true, balance_micros: 2_500_000 } })
    expect(again).toMatchObject({ status: 200, body: { applied: false, balance_micros: 2_500_000 } })
    const seam = await gateway.accounts.credit({
      userId: user.id,
      amountMicros: 1,
      note: 'seam',
      idempotencyKey: 'stripe:evt_1',
      actor: 'stripe',
      requestId: 'req_x',
    })
    expect(seam).toEqual({ applied: true, balanceMicros: 2_500_001 })
    expect(
      await gateway.accounts.credit({
        userId: user.id,
        amountMicros: 1,
        note: 'seam',
        idempotencyKey: 'stripe:evt_1',
        actor: 'stripe',
        requestId: 'req_y',
      }),
    ).toEqual({ applied: false, balanceMicros: 2_500_001 })
  })
})

describe('users, keys and the audit log', () => {
  test('users create keys for themselves, revoke them, and every mutation is audited', async () => {
    const { key, user } = await userWithKey({ balanceUsd: 1 })
    const created = await call(key.raw, 'POST', '/api/v1/me/keys', {
      name: 'mine',
      scopes: ['chat'],
      limit_usd: 3,
      rate_limits: { burst_rps: 2 },
    })
    expect(created.status).toBe(201)
    rawKeys.push(created.body.raw as string)
    expect(created.body).toMatchObject({ user_id: user.id, limit_usd: 3, rate_limits: { burst_rps: 2, requests_per_minute: null } })
    // Seam 1: the limits module reads the stored rate limits from memory.
    expect(gateway.accounts.rateLimitsOf({ id: String(created.body.id) })).toEqual({
      burstRps: 2,
      requestsPerMinute: null,
      tokensPerMinute: null,
      maxConcurrent: null,
    })
    expect((await call(key.raw, 'POST', '/api/v1/me/keys', { name: 'x', user_id: 'usr_other' })).status).toBe(400)
    const revoked = await call(key.raw, 'DELETE', `/api/v1/me/keys/${created.body.id}`)
    expect(revoked.body.revoked_at).not.toBeNull()
    const audit = (await gateway.admin<{ data: Json[] }>('GET', '/api/v1/admin/audit?limit=1000')).body.data
    const actions = audit.filter((row) => row.target === user.id || row.target === created.body.id).map((row) => row.action)
    expect(actions).toEqual(expect.arrayContaining(['user.create', 'credit', 'key.create', 'key.revoke']))
    const revocation = audit.find((row) => row.action === 'key.revoke' && row.target === created.body.id)
    expect(revocation).toMatchObject({
      actor: expect.stringContaining(user.id),
      before: { revoked_at: null },
      after: { id: created.body.id },
    })
  })

  test('sign-up is closed unless configured; the credential verifier checks passwords', async () => {
    expect((await call('none', 'POST', '/api/v1/signup', { email: 'new@example.com', password: 'long enough' })).status).toBe(403)
    const user = await gateway.createUser({ email: 'verify@example.com', password: canary.password })
    expect(await gateway.accounts.verifyCredentials('Verify@Example.com', canary.password)).toEqual({
      userId: user.id,
      email: 'verify@example.com',
    })
    expect(await gateway.accounts.verifyCredentials('verify@example.com', 'wrong password')).toBeUndefined()
    expect(await gateway.accounts.verifyCredentials('nobody@example.com', canary.password)).toBeUndefined()
  })
})

describe('canaries: raw keys, passwords and secrets never leak', () => {
  test('not in error bodies, logs, the audit log or the database', async () => {
    const { key } = await userWithKey({ balanceUsd: 1 })
    const bodies: string[] = []
    // Error paths that could echo what they were given.
    bodies.push((await call(`${key.raw}x`, 'GET', '/api/v1/me')).text)
    bodies.push((await call(key.raw, 'POST', '/api/v1/me/keys', { name: key.raw, scopes: ['nope'] })).text)
    bodies.push(JSON.stringify((await gateway.admin('POST', '/api/v1/admin/users', { email: 'bad', password: canary.password })).body))
    bodies.push(
      JSON.stringify((await gateway.admin('POST', '/api/v1/admin/users', { email: 'short@example.com', password: 'short' })).body),
    )
    bodies.push(
      (await call(key.raw, 'POST', '/v1/chat/completions', { model: 'openai/fail-401', messages: [{ role: 'user', content: 'x' }] })).text,
    )
    bodies.push(JSON.stringify((await gateway.admin('GET', '/api/v1/admin/audit?limit=1000')).body))
    bodies.push(JSON.stringify((await gateway.admin('GET', '/api/v1/admin/keys')).body))
    bodies.push(JSON.stringify((await gateway.admin('GET', '/api/v1/admin/users')).body))
    await gateway.accounts.ledger.flush()
    await Bun.sleep(300)
    const databaseBytes = readdirSync(databaseDirectory)
      .map((name) => readFileSync(join(databaseDirectory, name)).toString('latin1'))
      .join('\n')
    const secrets = [...rawKeys, canary.password, canary.upstreamKey, gateway.adminToken]
    expect(rawKeys.length).toBeGreaterThan(5)
    for (const secret of secrets) {
      for (const body of bodies) expect(body.includes(secret)).toBe(false)
      expect(logLines.join('\n').includes(secret)).toBe(false)
      expect(databaseBytes.includes(secret)).toBe(false)
    }
    // The database does hold the argon2id hashes, which is how it knows the password.
    expect(databaseBytes).toContain('$argon2id$')
  })
})

describe('open sign-up', () => {
  test('with SWITCHYARD_OPEN_SIGNUP=true anyone may create a user, who can then sign in; duplicates are 409', async () => {
    const open = await startTestGateway({ env: { SWITCHYARD_OPEN_SIGNUP: 'true' } })
    try {
      const email = `open-${crypto.randomUUID()}@example.com`
      const signup = (password: string) =>
        fetch(`${open.url}/api/v1/signup`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ email, password }),
        })
      const created = await signup(canary.password)
      expect(created.status).toBe(201)
      const user = (await created.json()) as Json
      expect(user).toMatchObject({ email, balance_micros: 0 })
      expect((await signup(canary.password)).status).toBe(409)
      expect((await signup('short')).status).toBe(400)
      expect(await open.accounts.verifyCredentials(email, canary.password)).toEqual({ userId: String(user.id), email })
      const audit = (await open.admin<{ data: Json[] }>('GET', '/api/v1/admin/audit')).body.data
      expect(audit.find((row) => row.target === user.id)).toMatchObject({ actor: 'signup', action: 'user.create' })
    } finally {
      await open.stop()
    }
  })
})
