import Stripe from 'stripe'
import type { StripeConfig } from '../config/config-types.ts'

/** The official SDK, pointed at `STRIPE_API_BASE` when set (a local fake in tests), api.stripe.com otherwise. */
export function createStripeClient(config: StripeConfig): Stripe {
  const base = config.apiBase == null ? undefined : new URL(config.apiBase)
  return new Stripe(config.secretKey, {
    maxNetworkRetries: 1,
    timeout: 20_000,
    telemetry: false,
    appInfo: { name: 'Switchyard' },
    ...(base == null
      ? {}
      : {
          host: base.hostname,
          port: base.port === '' ? (base.protocol === 'http:' ? 80 : 443) : Number(base.port),
          protocol: base.protocol === 'http:' ? 'http' : 'https',
        }),
  })
}
