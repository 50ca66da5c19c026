import { z } from 'zod'
import type { NewApiKey } from '../accounts/api-key-service.ts'
import { GatewayError } from '../errors/gateway-error.ts'
import { validationError } from '../protocol/validation-error.ts'
import { allScopes, type Scope } from '../store/store.ts'

const usd = z.number().finite().nonnegative().max(1_000_000_000)
const perSecondOrMinute = z.number().int().positive().max(1_000_000_000).nullable()

/** The body of key creation, for users (`/api/v1/me/keys`) and admins (`/api/v1/admin/keys`). */
export const keyCreateSchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(100),
  scopes: z.array(z.enum(allScopes as [Scope, ...Scope[]])).optional(),
  limit_usd: usd.nullable().optional(),
  monthly_budget_usd: usd.nullable().optional(),
  rate_limits: z
    .strictObject({
      burst_rps: perSecondOrMinute.optional(),
      requests_per_minute: perSecondOrMinute.optional(),
      tokens_per_minute: perSecondOrMinute.optional(),
      max_concurrent: perSecondOrMinute.optional(),
    })
    .optional(),
  allowed_models: z.array(z.string().trim().min(1).max(200)).max(100).optional(),
  expires_at: z.iso.datetime({ offset: true }).nullable().optional(),
  // Admin only: whose key it is.
  user_id: z.string().min(1).optional(),
  user_email: z.string().min(1).optional(),
})

export type KeyCreateBody = z.infer<typeof keyCreateSchema>

export function parseKeyCreateBody(body: unknown): KeyCreateBody {
  const parsed = keyCreateSchema.safeParse(body)
  if (!parsed.success) throw validationError(parsed.error)
  return parsed.data
}

const toMicros = (value: number | null | undefined) => (value == null ? null : Math.round(value * 1_000_000))

export function toNewApiKey(body: KeyCreateBody, userId: string, now: number): NewApiKey {
  const expiresAt = body.expires_at == null ? null : Date.parse(body.expires_at)
  if (expiresAt != null && expiresAt <= now)
    throw new GatewayError('invalid_request', '`expires_at` must be in the future.', { param: 'expires_at' })
  const limits = body.rate_limits ?? {}
  return {
    userId,
    name: body.name,
    scopes: body.scopes ?? ['chat', 'embeddings'],
    limitMicros: toMicros(body.limit_usd),
    monthlyBudgetMicros: toMicros(body.monthly_budget_usd),
    rateLimits: {
      ...(limits.burst_rps === undefined ? {} : { burstRps: limits.burst_rps }),
      ...(limits.requests_per_minute === undefined ? {} : { requestsPerMinute: limits.requests_per_minute }),
      ...(limits.tokens_per_minute === undefined ? {} : { tokensPerMinute: limits.tokens_per_minute }),
      ...(limits.max_concurrent === undefined ? {} : { maxConcurrent: limits.max_concurrent }),
    },
    allowedModels: body.allowed_models ?? [],
    expiresAt,
  }
}
