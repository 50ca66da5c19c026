import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import pino from 'pino'
import type { CreditFunction } from '../../src/billing/credit-function.ts'
import { type FakeStripe, startFakeStripe } from '../support/fake-stripe.ts'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// Stripe top-ups through the real `stripe` SDK against a loopback fake Stripe. The real ledger
// lives on the accounts branch; here the credit dependency is an in-test recorder that keeps
// seam 2's promise (one credit per idempotency key), so what the webhook asks of it is visible.

const secretKey = `sk_test_CANARY_${crypto.randomUUID().replaceAll('-', '')}`
const webhookSecret = `whsec_CANARY_${crypto.randomUUID().replaceAll('-', '')}`

type CreditCall = Parameters<CreditFunction>[0]

/** Test-only stand-in for the accounts ledger: records every call, applies each idempotency key once. */
function createRecordingCredit() {
  const calls: CreditCall[] = []
  const applied = new Set<string>()
  const balances = new Map<string, number>()
  const credit: CreditFunction = async (input) => {
    calls.push(input)
    if (applied.has(input.idempotencyKey)) return { applied: false, balanceMicros: balances.get(input.userId) ?? 0 }
    applied.add(input.idempotencyKey)
    const balance = (balances.get(input.userId) ?? 0) + input.amountMicros
    balances.set(input.userId, balance)
    return { applied: true, balanceMicros: balance }
  }
  return { credit, calls, balances }
}

let fakeStripe: FakeStripe
let gateway: TestGateway
let recorder: ReturnType<typeof createRecordingCredit>
const logLines: string[] = []
let manageKey: { id: string; raw: string }

beforeAll(async () => {
  fakeStripe = startFakeStripe({ secretKey })
  recorder = createRecordingCredit()
  gateway = await startTestGateway({
    env: {
      STRIPE_SECRET_KEY: secretKey,
      STRIPE_WEBHOOK_SECRET: webhookSecret,
      STRIPE_API_BASE: fakeStripe.url,
      SWITCHYARD_TOPUP_MAX_USD: '500',
    },
    credit: recorder.credit,
    logger: pino({ level: 'debug' }, { write: (line: string) => void logLines.push(line) }),
  })
  manageKey = await gateway.createKey({ scopes: ['manage'] })
})

afterAll(async () => {
  await gateway.stop()
  fakeStripe.close()
})

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
      'metadata[switchyard_user_id]': manageKey.id,
      client_reference_id: manageKey.id,
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
    const callsBefore = recorder.calls.length
    const balanceBefore = recorder.balances.get(manageKey.id) ?? 0

    const first = await deliver(body, signature)
    expect(first.status).toBe(200)
    expect(await first.json()).toEqual({ received: true, credited: true })
    const replay = await deliver(body, signature)
    expect(replay.status).toBe(200)
    expect(await replay.json()).toEqual({ received: true, credited: false })

    const calls = recorder.calls.slice(callsBefore)
    expect(calls).toHaveLength(2)
    for (const call of calls) {
      expect(call).toMatchObject({ userId: manageKey.id, amountMicros: 7_250_000, idempotencyKey: `stripe:${event.id}`, actor: 'stripe' })
      expect(call.note).toContain(session_id)
      expect(call.requestId).toStartWith('req_')
    }
    expect(recorder.balances.get(manageKey.id)).toBe(balanceBefore + 7_250_000)
  })

  test('the amount credited is what Stripe says was paid, and a second event for another session credits again', async () => {
    const { session_id } = await newCheckout(3)
    const event = fakeStripe.paidEvent(session_id)
    event.data.object.amount_total = 250 // Stripe's figure wins (e.g. a discount), not the asked amount
    const delivery = await fakeStripe.signedDelivery(event, webhookSecret)
    const before = recorder.balances.get(manageKey.id) ?? 0
    expect(await (await deliver(delivery.body, delivery.signature)).json()).toEqual({ received: true, credited: true })
    expect(recorder.balances.get(manageKey.id)).toBe(before + 2_500_000)
  })

  test('a delayed payment method is credited by its async_payment_succeeded event', async () => {
    const { session_id } = await newCheckout(6)
    const before = recorder.balances.get(manageKey.id) ?? 0
    const unpaid = await fakeStripe.signedDelivery(fakeStripe.paidEvent(session_id, { paymentStatus: 'unpaid' }), webhookSecret)
    expect(await (await deliver(unpaid.body, unpaid.signature)).json()).toEqual({ received: true, credited: false })
    const succeeded = await fakeStripe.signedDelivery(
      fakeStripe.paidEvent(session_id, { type: 'checkout.session.async_payment_succeeded' }),
      webhookSecret,
    )
    expect(await (await deliver(succeeded.body, succeeded.signature)).json()).toEqual({ received: true, credited: true })
    expect(recorder.balances.get(manageKey.id)).toBe(before + 6_000_000)
  })

  test('an unpaid completed checkout, and unrelated event types, credit nothing', async () => {
    const callsBefore = recorder.calls.length
    const { session_id } = await newCheckout(4)
    const unpaid = await fakeStripe.signedDelivery(fakeStripe.paidEvent(session_id, { paymentStatus: 'unpaid' }), webhookSecret)
    expect(await (await deliver(unpaid.body, unpaid.signature)).json()).toEqual({ received: true, credited: false })
    const other = await fakeStripe.signedDelivery(fakeStripe.paidEvent(session_id, { type: 'checkout.session.expired' }), webhookSecret)
    expect(await (await deliver(other.body, other.signature)).json()).toEqual({ received: true, credited: false })
    expect(recorder.calls.length).toBe(callsBefore)
  })

  test('a bad, missing or replayed-onto-other-bytes signature is a 400 and credits nothing', async () => {
    const callsBefore = recorder.calls.length
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
    expect(recorder.calls.length).toBe(callsBefore)
  })

  test('a ledger failure is a 503 so that Stripe delivers again; the retry credits once', async () => {
    const failing = createRecordingCredit()
    let failuresLeft = 1
    const flaky: CreditFunction = async (input) => {
      if (failuresLeft-- > 0) throw new Error('database unavailable')
      return failing.credit(input)
    }
    const localStripe = startFakeStripe({ secretKey })
    const local = await startTestGateway({
      env: { STRIPE_SECRET_KEY: secretKey, STRIPE_WEBHOOK_SECRET: webhookSecret, STRIPE_API_BASE: localStripe.url },
      credit: flaky,
    })
    try {
      const key = await local.createKey({ scopes: ['manage'] })
      const created = await fetch(`${local.url}/api/v1/topup`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key.raw}` },
        body: JSON.stringify({ amount_usd: 9 }),
      })
      const { session_id } = (await created.json()) as { session_id: string }
      const delivery = await localStripe.signedDelivery(localStripe.paidEvent(session_id), webhookSecret)
      const send = () =>
        fetch(`${local.url}/api/v1/stripe/webhook`, {
          method: 'POST',
          headers: { 'stripe-signature': delivery.signature },
          body: delivery.body,
        })
      expect((await send()).status).toBe(503)
      expect((await send()).status).toBe(200)
      expect((await send()).status).toBe(200)
      expect(failing.balances.get(key.id)).toBe(9_000_000)
    } finally {
      await local.stop()
      localStripe.close()
    }
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

  test('a gateway with Stripe keys but no ledger to credit refuses to start', async () => {
    await expect(startTestGateway({ env: { STRIPE_SECRET_KEY: 'sk_test_x', STRIPE_WEBHOOK_SECRET: 'whsec_x' } })).rejects.toThrow(
      /no account ledger/,
    )
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
      credit: recorder.credit,
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
