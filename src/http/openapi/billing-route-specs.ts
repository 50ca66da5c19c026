import { z } from 'zod'
import type { RouteSpec } from './route-spec.ts'
import { errorEnvelope } from './shared-response-views.ts'

// Stripe top-ups (src/billing/, http/routes/billing-routes.ts).

export const billingRouteSpecs: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/api/v1/topup',
    summary: 'A Stripe Checkout URL to add credit (for a human to pay; agents must never pay)',
    tag: 'management',
    auth: 'user',
    request: { json: z.object({ amount_usd: z.number().positive() }) },
    responses: {
      200: {
        description: 'Checkout session.',
        json: z.object({ checkout_url: z.string(), session_id: z.string(), amount_usd: z.string(), expires_at: z.number().int() }),
      },
      400: { description: 'The amount is missing, not a number, below the minimum or above the maximum.', json: errorEnvelope },
      501: { description: 'Stripe is not configured (set STRIPE_SECRET_KEY and STRIPE_WEBHOOK_SECRET).', json: errorEnvelope },
    },
  },
  {
    method: 'post',
    path: '/api/v1/stripe/webhook',
    summary: "Stripe's webhook: signature verified on the raw body; each paid checkout credited exactly once",
    tag: 'billing',
    auth: 'none',
    responses: {
      200: { description: 'Event accepted (credited, or nothing to do).', json: z.looseObject({ received: z.boolean() }) },
      400: { description: 'Missing or invalid Stripe-Signature.', json: errorEnvelope },
      503: { description: 'The ledger could not be written; Stripe will deliver the event again.', json: errorEnvelope },
    },
  },
]
