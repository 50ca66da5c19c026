import type Stripe from 'stripe'
import type { AuditRecorder } from '../accounts/audit-recorder.ts'
import type { CreditFunction } from '../accounts/money/spend-ledger.ts'
import { GatewayError } from '../errors/gateway-error.ts'
import { formatUsd } from './parse-topup-amount.ts'

export type TopupCheckout = { checkout_url: string; session_id: string; amount_usd: string; expires_at: number }

export type WebhookOutcome = { received: true; credited: boolean }

export type StripeTopups = {
  createCheckout(input: { userId: string; amountCents: number; requestId: string; origin: string }): Promise<TopupCheckout>
  /** Verifies the signature over the raw body, then credits a paid checkout exactly once per event. */
  handleWebhook(input: { rawBody: Uint8Array; signature: string | undefined; requestId: string }): Promise<WebhookOutcome>
}

type Logger = {
  warn(object: object, message: string): void
  error(object: object, message: string): void
  info(object: object, message: string): void
}

/** Metadata keys we put on every Checkout Session, read back from the webhook. */
export const metadataKeys = { userId: 'switchyard_user_id', requestId: 'switchyard_request_id' } as const

const paidCheckoutEvents = new Set(['checkout.session.completed', 'checkout.session.async_payment_succeeded'])

/**
 * Top-ups through Stripe Checkout. The amount credited is what Stripe says was paid
 * (`amount_total`), never what the client asked for; the user is the one we wrote into the
 * session's metadata. Stripe's own error messages are never passed on or logged (they can quote
 * the key); only their type, code and status are.
 */
export function createStripeTopups(deps: {
  stripe: Stripe
  webhookSecret: string
  /** The accounts ledger's credit (seam 2): exactly once per idempotency key. */
  credit: CreditFunction
  /** The audit log: every applied top-up appends one row, like an admin credit. */
  audit: AuditRecorder
  successUrl: string | undefined
  cancelUrl: string | undefined
  logger: Logger
}): StripeTopups {
  const { stripe, webhookSecret, credit, audit, logger } = deps

  return {
    async createCheckout({ userId, amountCents, requestId, origin }) {
      let session: Stripe.Checkout.Session
      try {
        session = await stripe.checkout.sessions.create(
          {
            mode: 'payment',
            line_items: [
              {
                quantity: 1,
                price_data: { currency: 'usd', unit_amount: amountCents, product_data: { name: 'Switchyard credit' } },
              },
            ],
            client_reference_id: userId,
            metadata: { [metadataKeys.userId]: userId, [metadataKeys.requestId]: requestId },
            success_url: deps.successUrl ?? `${origin}/dashboard?topup=success&session_id={CHECKOUT_SESSION_ID}`,
            cancel_url: deps.cancelUrl ?? `${origin}/dashboard?topup=cancelled`,
          },
          // A retried request (ours or the SDK's) never opens a second session.
          { idempotencyKey: `topup:${requestId}` },
        )
      } catch (error) {
        logger.error({ stripe: describeStripeError(error), requestId }, 'Stripe refused to create a checkout session')
        throw new GatewayError(
          'upstream_error',
          'Stripe did not create the checkout session; try again shortly, or ask the operator to check the Stripe configuration.',
        )
      }
      if (session.url == null) {
        throw new GatewayError('upstream_error', 'Stripe created a checkout session without a payment URL.')
      }
      return { checkout_url: session.url, session_id: session.id, amount_usd: formatUsd(amountCents), expires_at: session.expires_at }
    },

    async handleWebhook({ rawBody, signature, requestId }) {
      if (signature == null || signature === '') {
        throw new GatewayError('invalid_request', 'Missing Stripe-Signature header.', { param: 'stripe-signature' })
      }
      let event: Stripe.Event
      try {
        // constructEventAsync: under Bun the SDK verifies with WebCrypto, which has no synchronous form.
        event = await stripe.webhooks.constructEventAsync(Buffer.from(rawBody), signature, webhookSecret)
      } catch {
        logger.warn({ requestId }, 'Stripe webhook with an invalid signature refused')
        throw new GatewayError('invalid_request', 'The Stripe signature does not match this payload (or is too old).', {
          param: 'stripe-signature',
        })
      }
      if (!paidCheckoutEvents.has(event.type)) return { received: true, credited: false }
      const session = event.data.object as Stripe.Checkout.Session
      const userId = session.metadata?.[metadataKeys.userId]
      if (session.payment_status !== 'paid' || userId == null || session.amount_total == null) {
        // Unpaid (a delayed payment method: its own succeeded event follows) or not one of ours.
        return { received: true, credited: false }
      }
      if (session.currency !== 'usd') {
        logger.error(
          { requestId, eventId: event.id, currency: session.currency },
          'Stripe checkout in an unexpected currency; not credited',
        )
        return { received: true, credited: false }
      }
      const amountMicros = session.amount_total * 10_000
      const note = `Stripe top-up ${formatUsd(session.amount_total)} USD (checkout ${session.id})`
      // Keyed by the checkout session, not the event: a session can be reported paid by two events
      // (completed, then async_payment_succeeded), and it is one payment.
      const idempotencyKey = `stripe:${session.id}`
      let credited: { applied: boolean }
      try {
        credited = await credit({ userId, amountMicros, note, idempotencyKey, actor: 'stripe', requestId })
      } catch (error) {
        logger.error({ err: error, requestId, eventId: event.id }, 'crediting a Stripe top-up failed; Stripe will retry the webhook')
        // A 5xx makes Stripe deliver the event again; the idempotency key keeps it to one credit.
        throw new GatewayError('service_unavailable', 'The payment could not be credited yet; Stripe will retry.')
      }
      const { applied } = credited
      if (applied) {
        try {
          await audit.record({
            actor: 'stripe',
            action: 'credit',
            target: userId,
            after: {
              amount_micros: amountMicros,
              note,
              idempotency_key: idempotencyKey,
              stripe_event_id: event.id,
              checkout_session_id: session.id,
            },
            requestId,
          })
        } catch (error) {
          // The money is in the ledger (its row names actor `stripe` and this request id); a 5xx
          // here would only make Stripe redeliver an event that is already credited, so no audit
          // row could come of it either. Say so loudly instead.
          logger.error({ err: error, requestId, eventId: event.id }, 'a Stripe top-up was credited but its audit row failed to write')
        }
      }
      return { received: true, credited: applied }
    },
  }
}

function describeStripeError(error: unknown): Record<string, unknown> {
  if (typeof error !== 'object' || error === null) return { kind: typeof error }
  const { type, code, statusCode, requestId } = error as { type?: unknown; code?: unknown; statusCode?: unknown; requestId?: unknown }
  return { type, code, statusCode, stripeRequestId: requestId }
}
