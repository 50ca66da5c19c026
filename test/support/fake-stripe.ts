import Stripe from 'stripe'

/**
 * A loopback fake of the few Stripe endpoints the gateway's SDK calls (Bun.serve on port 0), so
 * tests drive the real `stripe` SDK: `POST /v1/checkout/sessions` and `GET /v1/checkout/sessions/{id}`.
 * Requests with a different secret key are refused the way Stripe does (401), quoting the key
 * in full so canary tests can prove the gateway never passes Stripe's messages on.
 * `paidEvent` builds the event Stripe would send once a session is paid; `signedDelivery` signs it
 * with the real SDK's test-header helper, as Stripe signs its webhooks.
 */
export type FakeStripe = {
  url: string
  sessions: Map<string, FakeCheckoutSession>
  requests: RecordedStripeRequest[]
  /** The next `count` session creations fail with this status and a Stripe-shaped error. */
  failNext(status: number, count?: number): void
  paidEvent(sessionId: string, options?: { type?: string; paymentStatus?: 'paid' | 'unpaid' }): StripeEventPayload
  signedDelivery(event: StripeEventPayload, secret: string): Promise<{ body: string; signature: string }>
  close(): void
}

export type FakeCheckoutSession = {
  id: string
  object: 'checkout.session'
  mode: string
  currency: string
  amount_total: number
  client_reference_id: string | null
  metadata: Record<string, string>
  success_url: string | null
  cancel_url: string | null
  url: string
  expires_at: number
  status: 'open' | 'complete'
  payment_status: 'paid' | 'unpaid'
}

export type RecordedStripeRequest = { method: string; path: string; headers: Record<string, string>; form: Record<string, string> }

export type StripeEventPayload = {
  id: string
  object: 'event'
  type: string
  created: number
  livemode: false
  data: { object: FakeCheckoutSession }
}

export function startFakeStripe(options: { secretKey: string }): FakeStripe {
  const sessions = new Map<string, FakeCheckoutSession>()
  const requests: RecordedStripeRequest[] = []
  let failures: { status: number; count: number } | undefined
  const stripeForSigning = new Stripe('sk_test_signing_only')

  const server = Bun.serve({
    port: 0,
    hostname: '127.0.0.1',
    async fetch(request) {
      const url = new URL(request.url)
      const form = Object.fromEntries(new URLSearchParams(await request.text()))
      requests.push({ method: request.method, path: url.pathname, headers: Object.fromEntries(request.headers), form })
      const presented = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1] ?? ''
      if (presented !== options.secretKey) {
        return stripeError(401, 'invalid_request_error', `Invalid API Key provided: ${presented}`)
      }
      if (request.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
        if (failures != null && failures.count > 0) {
          failures.count--
          return stripeError(failures.status, 'api_error', `Something went wrong (key ${presented})`)
        }
        const session = createSession(form, server.url.origin)
        sessions.set(session.id, session)
        return Response.json(session)
      }
      const match = /^\/v1\/checkout\/sessions\/([^/]+)$/.exec(url.pathname)
      if (request.method === 'GET' && match?.[1] != null) {
        const session = sessions.get(match[1])
        return session == null
          ? stripeError(404, 'invalid_request_error', `No such checkout.session: '${match[1]}'`)
          : Response.json(session)
      }
      return stripeError(404, 'invalid_request_error', `Unrecognized request URL (${request.method}: ${url.pathname}).`)
    },
  })

  return {
    url: server.url.origin,
    sessions,
    requests,
    failNext(status, count = 1) {
      failures = { status, count }
    },
    paidEvent(sessionId, eventOptions = {}) {
      const session = sessions.get(sessionId)
      if (session == null) throw new Error(`fake Stripe has no session ${sessionId}`)
      const paymentStatus = eventOptions.paymentStatus ?? 'paid'
      const completed: FakeCheckoutSession = { ...session, status: 'complete', payment_status: paymentStatus }
      sessions.set(sessionId, completed)
      return {
        id: `evt_test_${crypto.randomUUID().replaceAll('-', '')}`,
        object: 'event',
        type: eventOptions.type ?? 'checkout.session.completed',
        created: Math.floor(Date.now() / 1000),
        livemode: false,
        data: { object: completed },
      }
    },
    async signedDelivery(event, secret) {
      const body = JSON.stringify(event)
      const signature = await stripeForSigning.webhooks.generateTestHeaderStringAsync({ payload: body, secret })
      return { body, signature }
    },
    close() {
      server.stop(true)
    },
  }
}

function createSession(form: Record<string, string>, origin: string): FakeCheckoutSession {
  const id = `cs_test_${crypto.randomUUID().replaceAll('-', '')}`
  const quantity = Number(form['line_items[0][quantity]'] ?? '1')
  const metadata: Record<string, string> = {}
  for (const [name, value] of Object.entries(form)) {
    const key = /^metadata\[(.+)\]$/.exec(name)?.[1]
    if (key != null) metadata[key] = value
  }
  return {
    id,
    object: 'checkout.session',
    mode: form.mode ?? 'payment',
    currency: form['line_items[0][price_data][currency]'] ?? 'usd',
    amount_total: Number(form['line_items[0][price_data][unit_amount]'] ?? '0') * quantity,
    client_reference_id: form.client_reference_id ?? null,
    metadata,
    success_url: form.success_url ?? null,
    cancel_url: form.cancel_url ?? null,
    url: `${origin}/c/pay/${id}`,
    expires_at: Math.floor(Date.now() / 1000) + 24 * 3600,
    status: 'open',
    payment_status: 'unpaid',
  }
}

function stripeError(status: number, type: string, message: string): Response {
  return Response.json({ error: { type, message } }, { status, headers: { 'request-id': `req_fake_${crypto.randomUUID()}` } })
}
