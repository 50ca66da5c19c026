import { z } from 'zod'
import { GatewayError } from '../errors/gateway-error.ts'

export const policyNames = ['cheap', 'normal', 'high_confidence', 'planning', 'thompson'] as const
export type PolicyName = (typeof policyNames)[number]
export const objectiveNames = ['cheapest', 'fastest', 'reliable', 'balanced'] as const
export type Objective = (typeof objectiveNames)[number]

export type ProviderPreferences = {
  only?: readonly string[]
  ignore?: readonly string[]
  order?: readonly string[]
  allowFallbacks?: boolean
}

/**
 * How a request wants to be routed. Every field is optional; sources are merged field by field
 * (see mergeRoutingOptions). Money in USD as clients write it; converted to micro-dollars where
 * it is compared.
 */
export type RoutingOptions = {
  policy?: PolicyName
  objective?: Objective
  maxCostPer1kTokensUsd?: number
  maxBudgetUsd?: number
  maxLatencyMs?: number
  minWeight?: number
  allowedModels?: readonly string[]
  blockedModels?: readonly string[]
  provider?: ProviderPreferences
  /** Only from a directive: the model to use, as if the body had named it. */
  model?: string
}

const providerSchema = z.strictObject({
  only: z.array(z.string().min(1)).optional(),
  ignore: z.array(z.string().min(1)).optional(),
  order: z.array(z.string().min(1)).optional(),
  allow_fallbacks: z.boolean().optional(),
})

const routingFieldSchema = z.strictObject({
  policy: z.enum(policyNames).optional(),
  objective: z.enum(objectiveNames).optional(),
  max_cost_per_1k_tokens: z.number().nonnegative().optional(),
  max_budget_usd: z.number().positive().max(100).optional(),
  max_latency_ms: z.number().int().positive().max(300_000).optional(),
  min_weight: z.number().min(0).max(10).optional(),
  allowed_models: z.array(z.string().min(1)).optional(),
  blocked_models: z.array(z.string().min(1)).optional(),
  provider: providerSchema.optional(),
})

/** AllTokens puts its routing goals in `metadata` (next to whatever else the client keeps there). */
const allTokensMetadataSchema = z.object({
  objective: z.enum(objectiveNames).optional(),
  max_cost_per_1k_tokens: z.number().nonnegative().optional(),
  allowed_models: z.array(z.string().min(1)).optional(),
  blocked_models: z.array(z.string().min(1)).optional(),
  provider_policy: providerSchema.omit({ order: true }).optional(),
})
export const allTokensMetadataKeys = ['objective', 'max_cost_per_1k_tokens', 'allowed_models', 'blocked_models', 'provider_policy'] as const

type ProviderField = z.infer<typeof providerSchema>

function toProviderPreferences(field: ProviderField | undefined): ProviderPreferences | undefined {
  if (field == null) return undefined
  return compact({ only: field.only, ignore: field.ignore, order: field.order, allowFallbacks: field.allow_fallbacks })
}

function compact<T extends Record<string, unknown>>(value: T): T {
  for (const key of Object.keys(value)) if (value[key] === undefined) delete value[key]
  return value
}

function invalid(error: z.ZodError, prefix: string): GatewayError {
  const issue = error.issues[0]
  const path = [prefix, ...(issue?.path ?? []).map(String)].join('.')
  return new GatewayError('invalid_request', `Invalid \`${path}\`: ${issue?.message ?? 'invalid value'}.`, { param: path })
}

/** The body's `routing` field (Switchyard's own). Unknown keys are a 400, not a silent ignore. */
export function parseRoutingField(value: unknown): RoutingOptions {
  if (value === undefined) return {}
  const parsed = routingFieldSchema.safeParse(value)
  if (!parsed.success) throw invalid(parsed.error, 'routing')
  const field = parsed.data
  return compact({
    policy: field.policy,
    objective: field.objective,
    maxCostPer1kTokensUsd: field.max_cost_per_1k_tokens,
    maxBudgetUsd: field.max_budget_usd,
    maxLatencyMs: field.max_latency_ms,
    minWeight: field.min_weight,
    allowedModels: field.allowed_models,
    blockedModels: field.blocked_models,
    provider: toProviderPreferences(field.provider),
  })
}

/** AllTokens' routing keys inside `metadata`; the other metadata keys are the client's business. */
export function parseAllTokensMetadata(value: unknown): RoutingOptions {
  if (value == null || typeof value !== 'object' || Array.isArray(value)) return {}
  const parsed = allTokensMetadataSchema.safeParse(value)
  if (!parsed.success) throw invalid(parsed.error, 'metadata')
  const field = parsed.data
  return compact({
    objective: field.objective,
    maxCostPer1kTokensUsd: field.max_cost_per_1k_tokens,
    allowedModels: field.allowed_models,
    blockedModels: field.blocked_models,
    provider: toProviderPreferences(field.provider_policy),
  })
}

/** `x-switchyard-policy: cheap`. */
export function parsePolicyHeader(value: string | undefined): RoutingOptions {
  if (value == null || value.trim() === '') return {}
  const policy = value.trim().toLowerCase()
  if (!(policyNames as readonly string[]).includes(policy)) {
    throw new GatewayError(
      'invalid_request',
      `Invalid \`x-switchyard-policy\` header: "${value}". Use one of: ${policyNames.join(', ')}.`,
      {
        param: 'x-switchyard-policy',
      },
    )
  }
  return { policy: policy as PolicyName }
}

/**
 * Field-wise merge, later sources win: config defaults < AllTokens metadata < body `routing` <
 * `x-switchyard-policy` header < directive. A field a source leaves out never erases an earlier one.
 */
export function mergeRoutingOptions(...sources: readonly RoutingOptions[]): RoutingOptions {
  const merged: RoutingOptions = {}
  // The common request brings no routing options from anywhere: nothing to walk.
  if (sources.every(isEmpty)) return merged
  for (const source of sources) {
    for (const [key, value] of Object.entries(source)) {
      if (value === undefined) continue
      if (key === 'provider') merged.provider = { ...merged.provider, ...(value as ProviderPreferences) }
      else (merged as Record<string, unknown>)[key] = value
    }
  }
  return merged
}

function isEmpty(options: RoutingOptions): boolean {
  for (const _key in options) return false
  return true
}
