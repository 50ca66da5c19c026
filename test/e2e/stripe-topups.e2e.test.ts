import { Database } from 'bun:sqlite'
import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { SQL } from 'bun'
import pino from 'pino'
import { createTestSchema } from '../../src/store/postgres/isolated-postgres-stores.ts'
import { type FakeStripe, startFakeStripe } from '../support/fake-stripe.ts'
import { loginViaDeviceFlow } from '../support/login-via-device-flow.ts'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// Stripe top-ups through the real `stripe` SDK against a loopback fake Stripe, credited into the
// real accounts ledger: the payer is a user with no money, its key has the `manage` scope, and
// every assertion reads the user's balance, ledger rows and audit log back over HTTP.

const secretKey = `sk_test_CANARY_${crypto.randomUUID().replaceAll('-', '')}`
const webhookSecret = `whsec_CANARY_${crypto.randomUUID().replaceAll('-', '')}`

const postgresUrl = process.env.SWITCHYARD_TEST_POSTGRES_URL
const redisUrl = process.env.SWITCHYARD_TEST_REDIS_URL
type Backend = 'sqlite' | 'postgres'

type LedgerRow = {
  id: string
  user_id: string
  key_id: string | null
  kind: string
  amount_micros: number
  balance_after_micros: number
  note: string
  actor: string
  request_id: string
}
type AuditRow = { actor: string; action: string; target: string; after: Record<string, unknown> | null; request_id: string }

let fakeStripe: FakeStripe
let gateway: TestGateway
const logLines: string[] = []
let payer: { id: string; email: string }
let manageKey: { id: string; raw: string }
// The clock of device codes and sessions, moved past the poll interval by the device-flow login.
let sessionClock = Date.now()

beforeAll(async () => {
  fakeStripe = startFakeStripe({ secretKey })
  gateway = await startTestGateway({
    env: {
      STRIPE_SECRET_KEY: secretKey,
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      STRIPE_API_BASE: fakeStripe.url,
      SWITCHYARD_TOPUP_MAX_USD: '500',
    },
    logger: pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) }),
    now: () => sessionClock,
  })
  payer = await gateway.createUser()
  manageKey = await gateway.createKey({ scopes: ['manage'], userId: payer.id })
})

afterAll(async () => {
  await gateway.stop()
  fakeStripe.close()
})

/** The payer's balance as the payer sees it: `GET /api/v1/balance` with their own key. */
async function balanceOf(target: TestGateway = gateway, key = manageKey.raw): Promise<number> {
  const response = await fetch(`${target.url}/api/v1/balance`, { headers: { authorization: `Bearer ${key}` } })
  expect(response.status).toBe(200)
  return ((await response.json()) as { balance_micros: number }).balance_micros
}

async function ledgerOf(userId: string, target: TestGateway = gateway): Promise<LedgerRow[]> {
  const response = await target.admin<{ data: LedgerRow[] }>('GET', `/api/v1/admin/ledger?user_id=${userId}&limit=1000`)
  expect(response.status).toBe(200)
  return response.body.data
}

async function auditFor(userId: string, target: TestGateway = gateway): Promise<AuditRow[]> {
  const response = await target.admin<{ data: AuditRow[] }>('GET', '/api/v1/admin/audit?limit=1000')
  expect(response.status).toBe(200)
  return response.body.data.filter((row) => row.target === userId && row.action === 'credit')
}

const topup = (body: unknown, key = manageKey.raw) =>
  fetch(`${gateway.url}/api/v1/topup`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

const deliver = (body: string, signature: string | undefined) =>
  fetch(`${gateway.url}/api/v1/stripe/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature == null ? {} : { 'stripe-signature': signature }) },
    body,
  })

async function newCheckout(amountUsd: number): Promise<{ session_id: string; requestId: string }> {
  const response = await topup({ amount_usd: amountUsd })
  expect(response.status).toBe(200)
  return { ...((await response.json()) as { session_id: string }), requestId: response.headers.get('x-request-id') ?? '' }
}

describe('POST /api/v1/topup', () => {
  test('creates a Stripe Checkout Session in cents, with the payer and request in its metadata', async () => {
    const response = await topup({ amount_usd: 12.5 })
    expect(response.status).toBe(200)
    const body = (await response.json()) as { checkout_url: string; session_id: string; amount_usd: string; expires_at: number }
    expect(Object.keys(body).sort()).toEqual(['amount_usd', 'checkout_url', 'expires_at', 'session_id'])
    expect(body.amount_usd).toBe('12.50')
    expect(body.session_id).toStartWith('cs_test_')
    expect(body.checkout_url).toBe(`${fakeStripe.url}/c/pay/${body.session_id}`)
    expect(body.expires_at).toBeGreaterThan(Date.now() / 1000)

    const sent = fakeStripe.requests.find(
      (request) =>
        request.path === '/v1/checkout/sessions' &&
        request.form['metadata[switchyard_request_id]'] === response.headers.get('x-request-id'),
    )
    expect(sent?.form).toMatchObject({
      mode: 'payment',
      'line_items[0][quantity]': '1',
      'line_items[0][price_data][currency]': 'usd',
      'line_items[0][price_data][unit_amount]': '1250',
      // The key's owner pays and is credited, not the key.
      'metadata[switchyard_user_id]': payer.id,
      client_reference_id: payer.id,
    })
    expect(sent?.form.success_url).toStartWith(gateway.url)
    expect(sent?.headers['idempotency-key']).toBe(`topup:${response.headers.get('x-request-id')}`)
  })

  test.each([
    [{}, 'required'],
    [{ amount_usd: 1.005 }, 'two decimals'],
    [{ amount_usd: 0 }, 'at least'],
    [{ amount_usd: 501 }, 'at most 500.00'],
    [{ amount_usd: 'lots' }, 'must be a number'],
  ])('%p is a 400 in the OpenAI envelope', async (body, message) => {
    const response = await topup(body)
    expect(response.status).toBe(400)
    const { error } = (await response.json()) as { error: { message: string; param: string; type: string } }
    expect(error.param).toBe('amount_usd')
    expect(error.type).toBe('invalid_request_error')
    expect(error.message).toContain(message)
  })

  test('needs a key with the manage scope', async () => {
    expect((await fetch(`${gateway.url}/api/v1/topup`, { method: 'POST', body: '{"amount_usd":5}' })).status).toBe(401)
    const chatKey = await gateway.createKey({ scopes: ['chat'] })
    const response = await topup({ amount_usd: 5 }, chatKey.raw)
    expect(response.status).toBe(403)
    expect(((await response.json()) as { error: { message: string } }).error.message).toContain('manage')
  })
})

describe('POST /api/v1/stripe/webhook', () => {
  test('a paid checkout is credited once, in micro-dollars, even when Stripe delivers the event again', async () => {
    const { session_id } = await newCheckout(7.25)
    const event = fakeStripe.paidEvent(session_id)
    const { body, signature } = await fakeStripe.signedDelivery(event, webhookSecret)
    const balanceBefore = await balanceOf()

    const first = await deliver(body, signature)
    expect(first.status).toBe(200)
    expect(await first.json()).toEqual({ received: true, credited: true })
    const replay = await deliver(body, signature)
    expect(replay.status).toBe(200)
    expect(await replay.json()).toEqual({ received: true, credited: false })

    expect(await balanceOf()).toBe(balanceBefore + 7_250_000)
    const rows = (await ledgerOf(payer.id)).filter((row) => row.id === `stripe:${session_id}`)
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({
      user_id: payer.id,
      key_id: null,
      kind: 'credit',
      amount_micros: 7_250_000,
      balance_after_micros: balanceBefore + 7_250_000,
      actor: 'stripe',
      request_id: first.headers.get('x-request-id') ?? 'missing',
    })
    expect(rows[0]?.note).toContain(session_id)
    // Issue 3 §8: every mutation is audited, top-ups included, once per credit (not per delivery).
    const audited = (await auditFor(payer.id)).filter((row) => row.after?.stripe_event_id === event.id)
    expect(audited).toHaveLength(1)
    expect(audited[0]).toMatchObject({
      actor: 'stripe',
      action: 'credit',
      request_id: first.headers.get('x-request-id') ?? 'missing',
      after: { amount_micros: 7_250_000, idempotency_key: `stripe:${session_id}`, checkout_session_id: session_id },
    })
  })

  test('the amount credited is what Stripe says was paid, and a second event for another session credits again', async () => {
    const { session_id } = await newCheckout(3)
    const event = fakeStripe.paidEvent(session_id)
    event.data.object.amount_total = 250 // Stripe's figure wins (e.g. a discount), not the asked amount
    const delivery = await fakeStripe.signedDelivery(event, webhookSecret)
    const before = await balanceOf()
    expect(await (await deliver(delivery.body, delivery.signature)).json()).toEqual({ received: true, credited: true })
    expect(await balanceOf()).toBe(before + 2_500_000)
    expect((await ledgerOf(payer.id)).find((row) => row.id === `stripe:${session_id}`)?.amount_micros).toBe(2_500_000)
  })

  test('a delayed payment method is credited by its async_payment_succeeded event', async () => {
    const { session_id } = await newCheckout(6)
    const before = await balanceOf()
    const unpaid = await fakeStripe.signedDelivery(fakeStripe.paidEvent(session_id, { paymentStatus: 'unpaid' }), webhookSecret)
    expect(await (await deliver(unpaid.body, unpaid.signature)).json()).toEqual({ received: true, credited: false })
    const succeeded = await fakeStripe.signedDelivery(
      fakeStripe.paidEvent(session_id, { type: 'checkout.session.async_payment_succeeded' }),
      webhookSecret,
    )
    expect(await (await deliver(unpaid.body, unpaid.signature)).json()).toEqual({ received: true, credited: false })
    expect(await balanceOf()).toBe(before)
    expect(await (await deliver(succeeded.body, succeeded.signature)).json()).toEqual({ received: true, credited: true })
    expect(await balanceOf()).toBe(before + 6_000_000)
  })

  test('one checkout reported paid by two different events is credited once', async () => {
    const { session_id } = await newCheckout(4.5)
    const before = await balanceOf()
    const completed = await fakeStripe.signedDelivery(fakeStripe.paidEvent(session_id), webhookSecret)
    const succeeded = await fakeStripe.signedDelivery(
      fakeStripe.paidEvent(session_id, { type: 'checkout.session.async_payment_succeeded' }),
      webhookSecret,
    )
    expect(await (await deliver(completed.body, completed.signature)).json()).toEqual({ received: true, credited: true })
    expect(await (await deliver(succeeded.body, succeeded.signature)).json()).toEqual({ received: true, credited: false })
    expect(await balanceOf()).toBe(before + 4_500_000)
    expect((await ledgerOf(payer.id)).filter((row) => row.id === `stripe:${session_id}`)).toHaveLength(1)
  })

  test('an unpaid completed checkout, and unrelated event types, credit nothing', async () => {
    const balanceBefore = await balanceOf()
    const rowsBefore = (await ledgerOf(payer.id)).length
    const { session_id } = await newCheckout(4)
    const unpaid = await fakeStripe.signedDelivery(fakeStripe.paidEvent(session_id, { paymentStatus: 'unpaid' }), webhookSecret)
    expect(await (await deliver(unpaid.body, unpaid.signature)).json()).toEqual({ received: true, credited: false })
    const other = await fakeStripe.signedDelivery(fakeStripe.paidEvent(session_id, { type: 'checkout.session.expired' }), webhookSecret)
    expect(await (await deliver(other.body, other.signature)).json()).toEqual({ received: true, credited: false })
    expect(await balanceOf()).toBe(balanceBefore)
    expect(await ledgerOf(payer.id)).toHaveLength(rowsBefore)
  })

  test('a bad, missing or replayed-onto-other-bytes signature is a 400 and credits nothing', async () => {
    const balanceBefore = await balanceOf()
    const rowsBefore = (await ledgerOf(payer.id)).length
    const { session_id } = await newCheckout(5)
    const event = fakeStripe.paidEvent(session_id)
    const wrongSecret = await fakeStripe.signedDelivery(event, 'whsec_not_the_right_one')
    const good = await fakeStripe.signedDelivery(event, webhookSecret)
    const tampered = good.body.replace('"amount_total":500', '"amount_total":500000')
    expect(tampered).not.toBe(good.body)
    for (const [body, signature] of [
      [wrongSecret.body, wrongSecret.signature],
      [good.body, undefined],
      [tampered, good.signature],
      [good.body, 't=1,v1=deadbeef'],
    ] as const) {
      const response = await deliver(body, signature)
      expect(response.status).toBe(400)
      const { error } = (await response.json()) as { error: { param: string; type: string } }
      expect(error).toMatchObject({ param: 'stripe-signature', type: 'invalid_request_error' })
    }
    expect(await balanceOf()).toBe(balanceBefore)
    expect(await ledgerOf(payer.id)).toHaveLength(rowsBefore)
  })
})

// The ledger itself failing, on each store the gateway runs on: SQLite (the memory ledger in front
// of it) and, when the test services are there, PostgreSQL + Redis (the shared ledger of replicas).
const backends: Backend[] = postgresUrl != null && redisUrl != null ? ['sqlite', 'postgres'] : ['sqlite']
describe('POST /api/v1/stripe/webhook when the database fails', () => {
  for (const backend of backends) {
    test(`${backend}: a ledger failure is a 503 so that Stripe delivers again; the retry credits once`, async () => {
      await withBreakableDatabase(backend, async ({ local, saboteur, payer: user, payerKey, delivery, sessionId }) => {
        await saboteur.refuseInserts('ledger', "NEW.kind = 'credit'")
        const refused = await delivery()
        expect(refused.status).toBe(503)
        const { error } = (await refused.json()) as { error: { message: string } }
        expect(error.message).toContain('Stripe will retry')
        expect(error.message).not.toContain('disk unavailable')
        expect(await balanceOf(local, payerKey)).toBe(0)
        expect(await ledgerOf(user, local)).toHaveLength(0)
        expect(await auditFor(user, local)).toHaveLength(0)

        await saboteur.allowInserts('ledger')
        expect(await (await delivery()).json()).toEqual({ received: true, credited: true })
        expect(await (await delivery()).json()).toEqual({ received: true, credited: false })
        expect(await balanceOf(local, payerKey)).toBe(9_000_000)
        expect((await ledgerOf(user, local)).map((row) => [row.id, row.amount_micros])).toEqual([[`stripe:${sessionId}`, 9_000_000]])
        expect(await auditFor(user, local)).toHaveLength(1)
      })
    })

    test(`${backend}: an audit log that cannot be written does not refuse money already credited: 200, and the failure is logged`, async () => {
      await withBreakableDatabase(backend, async ({ local, saboteur, payer: user, payerKey, delivery, logs }) => {
        await saboteur.refuseInserts('audit_log', "NEW.actor = 'stripe'")
        const answered = await delivery()
        expect(answered.status).toBe(200)
        expect(await answered.json()).toEqual({ received: true, credited: true })
        expect(await balanceOf(local, payerKey)).toBe(9_000_000)
        expect(await ledgerOf(user, local)).toHaveLength(1)
        expect(await auditFor(user, local)).toHaveLength(0)
        expect(logs.join('\n')).toContain('a Stripe top-up was credited but its audit row failed to write')
      })
    })
  }
})

/** Makes the gateway's database refuse inserts into one table (`when`: a trigger condition on NEW). */
type Saboteur = {
  refuseInserts(table: 'ledger' | 'audit_log', when: string): Promise<void>
  allowInserts(table: 'ledger' | 'audit_log'): Promise<void>
}

/**
 * A gateway of its own on a real database, with a user holding a `manage` key and a paid $9
 * checkout ready to deliver. To make the database fail, the saboteur (a second connection to the
 * same database) adds a trigger that aborts the insert, as a full disk or a read-only database
 * would: the gateway's own code runs unchanged and its transaction really rolls back. Dropping the
 * trigger is the database coming back. (Nothing is overridden: startGateway has no credit seam.)
 */
async function withBreakableDatabase(
  backend: Backend,
  body: (context: {
    local: TestGateway
    saboteur: Saboteur
    payer: string
    payerKey: string
    sessionId: string
    delivery: () => Promise<Response>
    logs: string[]
  }) => Promise<void>,
): Promise<void> {
  const cleanups: Array<() => Promise<void> | void> = []
  try {
    const { db, env, saboteur } = backend === 'sqlite' ? openSqliteSaboteur(cleanups) : await openPostgresSaboteur(cleanups)
    const localStripe = startFakeStripe({ secretKey })
    cleanups.push(() => localStripe.close())
    const logs: string[] = []
    const local = await startTestGateway({
      env: { STRIPE_SECRET_KEY: secretKey, STRIPE_WEBHOOK_SECRET: webhookSecret, STRIPE_API_BASE: localStripe.url, ...env },
      db,
      logger: pino({ level: 'info' }, { write: (line: string) => void logs.push(line) }),
    })
    cleanups.push(() => local.stop())
    expect(local.accounts.ledger.mode).toBe(backend === 'sqlite' ? 'memory' : 'shared')
    const user = await local.createUser()
    const key = await local.createKey({ scopes: ['manage'], userId: user.id })
    const created = await fetch(`${local.url}/api/v1/topup`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key.raw}` },
      body: JSON.stringify({ amount_usd: 9 }),
    })
    expect(created.status).toBe(200)
    const { session_id } = (await created.json()) as { session_id: string }
    const event = localStripe.paidEvent(session_id)
    const signed = await localStripe.signedDelivery(event, webhookSecret)
    const delivery = () =>
      fetch(`${local.url}/api/v1/stripe/webhook`, {
        method: 'POST',
        headers: { 'stripe-signature': signed.signature },
        body: signed.body,
      })
    await body({ local, saboteur, payer: user.id, payerKey: key.raw, sessionId: session_id, delivery, logs })
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup()
  }
}

function openSqliteSaboteur(cleanups: Array<() => Promise<void> | void>) {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-stripe-'))
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }))
  const databasePath = join(directory, 'switchyard.db')
  // Created before the gateway opens it; the gateway's migrations then run on the same file.
  const connection = new Database(databasePath, { create: true })
  connection.run('PRAGMA busy_timeout = 5000')
  cleanups.push(() => connection.close())
  const saboteur: Saboteur = {
    async refuseInserts(table, when) {
      connection.run(
        `CREATE TRIGGER test_${table}_outage BEFORE INSERT ON ${table} WHEN ${when} BEGIN SELECT RAISE(ABORT, 'disk unavailable'); END`,
      )
    },
    async allowInserts(table) {
      connection.run(`DROP TRIGGER test_${table}_outage`)
    },
  }
  return { db: `sqlite:${databasePath}`, env: {}, saboteur }
}

async function openPostgresSaboteur(cleanups: Array<() => Promise<void> | void>) {
  const admin = new SQL(postgresUrl ?? '', { max: 1 })
  const { schema, url, drop } = await createTestSchema(admin, postgresUrl ?? '')
  cleanups.push(async () => {
    await drop()
    await admin.close()
  })
  await admin.unsafe(
    `CREATE FUNCTION "${schema}".test_outage() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'disk unavailable'; END $$`,
  )
  const saboteur: Saboteur = {
    async refuseInserts(table, when) {
      await admin.unsafe(
        `CREATE TRIGGER test_${table}_outage BEFORE INSERT ON "${schema}".${table} FOR EACH ROW WHEN (${when}) EXECUTE FUNCTION "${schema}".test_outage()`,
      )
    },
    async allowInserts(table) {
      await admin.unsafe(`DROP TRIGGER test_${table}_outage ON "${schema}".${table}`)
    },
  }
  // Redis makes several processes share money: the ledger then lives in PostgreSQL alone.
  const env = { SWITCHYARD_REDIS_URL: redisUrl ?? '', SWITCHYARD_REDIS_KEY_PREFIX: `sy-test-${crypto.randomUUID()}:` }
  return { db: url, env, saboteur }
}

describe('a signed-in session', () => {
  test("tops up its own user's account: the session's user is the payer and is credited", async () => {
    const credentials = { email: `session-payer-${crypto.randomUUID()}@example.com`, password: 'a long enough passphrase 42' }
    const user = await gateway.createUser(credentials)
    const sessionToken = await loginViaDeviceFlow(gateway.url, credentials, (ms) => {
      sessionClock += ms
    })
    const created = await topup({ amount_usd: 4 }, sessionToken)
    expect(created.status).toBe(200)
    const { session_id } = (await created.json()) as { session_id: string }
    expect(fakeStripe.sessions.get(session_id)?.metadata.switchyard_user_id).toBe(user.id)

    const delivery = await fakeStripe.signedDelivery(fakeStripe.paidEvent(session_id), webhookSecret)
    expect(await (await deliver(delivery.body, delivery.signature)).json()).toEqual({ received: true, credited: true })
    expect(await balanceOf(gateway, sessionToken)).toBe(4_000_000)
    expect((await ledgerOf(user.id)).map((row) => [row.kind, row.actor, row.amount_micros])).toEqual([['credit', 'stripe', 4_000_000]])
  })
})

describe('without Stripe', () => {
  test('/topup and the webhook answer a clear error saying how to enable top-ups', async () => {
    const plain = await startTestGateway()
    try {
      const key = await plain.createKey({ scopes: ['manage'] })
      const response = await fetch(`${plain.url}/api/v1/topup`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key.raw}` },
        body: JSON.stringify({ amount_usd: 5 }),
      })
      expect(response.status).toBe(501)
      const { error } = (await response.json()) as { error: { message: string; code: string } }
      expect(error.code).toBe('feature_not_enabled')
      expect(error.message).toContain('STRIPE_SECRET_KEY')
      expect(error.message).toContain('STRIPE_WEBHOOK_SECRET')
      const webhook = await fetch(`${plain.url}/api/v1/stripe/webhook`, { method: 'POST', body: '{}' })
      expect(webhook.status).toBe(501)
    } finally {
      await plain.stop()
    }
  })
})

describe('secrets stay secret', () => {
  test('Stripe refusing our key (and quoting it) leaks neither secret into error bodies or logs', async () => {
    const bodies: string[] = []
    // Stripe answers 500 quoting the key: the SDK's retry and our error path both see it.
    fakeStripe.failNext(500, 5)
    const failed = await topup({ amount_usd: 5 })
    expect(failed.status).toBe(502)
    bodies.push(await failed.text())

    // A gateway whose key Stripe does not know: a 401 whose message quotes the whole key.
    const wrongKeyStripeLogs: string[] = []
    const wrongKey = `sk_test_CANARY_WRONG_${crypto.randomUUID().replaceAll('-', '')}`
    const other = await startTestGateway({
      env: { STRIPE_SECRET_KEY: wrongKey, STRIPE_WEBHOOK_SECRET: webhookSecret, STRIPE_API_BASE: fakeStripe.url },
      logger: pino({ level: 'debug' }, { write: (line: string) => void wrongKeyStripeLogs.push(line) }),
    })
    try {
      const key = await other.createKey({ scopes: ['manage'] })
      const refused = await fetch(`${other.url}/api/v1/topup`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key.raw}` },
        body: JSON.stringify({ amount_usd: 5 }),
      })
      expect(refused.status).toBe(502)
      bodies.push(await refused.text())
      expect(wrongKeyStripeLogs.join('\n')).toContain('Stripe refused')
      expect(wrongKeyStripeLogs.join('\n')).not.toContain(wrongKey)
      expect(bodies.join('\n')).not.toContain(wrongKey)
    } finally {
      await other.stop()
    }

    const badSignature = await deliver('{"id":"evt_x"}', 't=1,v1=00')
    bodies.push(await badSignature.text())
    // The fake really did quote our key to the SDK: the canary could have leaked.
    expect(fakeStripe.requests.some((request) => request.headers.authorization === `Bearer ${secretKey}`)).toBe(true)

    const everything = [...bodies, ...logLines].join('\n')
    expect(logLines.join('\n')).toContain('Stripe refused to create a checkout session')
    expect(everything).not.toContain(secretKey)
    expect(everything).not.toContain(webhookSecret)
    expect(everything).not.toContain('CANARY')
  })
})
