import { Hono } from 'hono'
import { parseTopupAmountCents } from '../../billing/parse-topup-amount.ts'
import type { StripeTopups } from '../../billing/stripe-topups.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { AppEnv } from '../app-env.ts'
import { readJsonBody } from '../read-json-body.ts'
import type { TopupUserResolver } from '../resolve-topup-user.ts'

const notEnabled = () =>
  new GatewayError(
    'feature_not_enabled',
    'Top-ups are not enabled on this gateway. The operator enables them by setting STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET (see the README, "Top-ups with Stripe"); without Stripe, an admin credits accounts directly.',
  )

/** `POST /api/v1/topup` (a Stripe Checkout URL for the caller) and `POST /api/v1/stripe/webhook`. */
export function billingRoutes(deps: {
  topups: StripeTopups | undefined
  resolveTopupUser: TopupUserResolver
  bounds: { minUsd: number; maxUsd: number }
}): Hono<AppEnv> {
  const { topups, resolveTopupUser, bounds } = deps
  const app = new Hono<AppEnv>()

  app.post('/topup', async (c) => {
    const { userId } = await resolveTopupUser(c)
    if (topups == null) throw notEnabled()
    const amountCents = parseTopupAmountCents(await readJsonBody(c), bounds)
    const checkout = await topups.createCheckout({ userId, amountCents, requestId: c.get('requestId'), origin: new URL(c.req.url).origin })
    return c.json(checkout)
  })

  app.post('/stripe/webhook', async (c) => {
    if (topups == null) throw notEnabled()
    // The signature covers the exact bytes Stripe sent: read them raw, never re-serialised JSON.
    const rawBody = new Uint8Array(await c.req.arrayBuffer())
    const outcome = await topups.handleWebhook({ rawBody, signature: c.req.header('stripe-signature'), requestId: c.get('requestId') })
    return c.json(outcome)
  })

  return app
}
