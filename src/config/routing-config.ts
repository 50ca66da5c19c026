import { z } from 'zod'
import { isGatewayError } from '../errors/gateway-error.ts'
import { defaultTierRules, type TierRules } from '../routing/auto-router-tiers.ts'
import { type PolicyName, parseRoutingField, policyNames, type RoutingOptions } from '../routing/routing-options.ts'

/** `routing:` in switchyard.yaml. */
export const routingFileSchema = z.strictObject({
  /** Defaults for every request, in the body `routing` field's shape. */
  defaults: z.unknown().optional(),
  /** The policy of `model: "router"` when a request names none (default `cheap`). */
  auto_policy: z.enum(policyNames).optional(),
  tiers: z
    .partialRecord(
      z.enum(['SIMPLE', 'MEDIUM', 'COMPLEX', 'REASONING']),
      z.strictObject({ min_weight: z.number().min(0).max(10).optional(), models: z.array(z.string().min(1)).optional() }),
    )
    .optional(),
  /** Capability weight 0–10 per model id (otherwise guessed from its price). */
  weights: z.record(z.string().min(1), z.number().min(0).max(10)).optional(),
  /** Model ids the router never picks on its own (they still serve requests that name them). */
  disabled_models: z.array(z.string().min(1)).optional(),
  /** How many ranked candidates a routed request may try (the choice plus fallbacks). */
  max_candidates: z.number().int().min(1).max(10).optional(),
  /** Other deployments of a model: `{ "openai/gpt-4o": ["azure/gpt-4o-prod"] }`, tried after it. */
  deployments: z.record(z.string().min(1), z.array(z.string().min(1))).optional(),
  /** How often the Thompson bandit merges with the shared store, in ms. */
  bandit_sync_ms: z.number().int().min(100).optional(),
})

export type RoutingConfig = {
  defaults: RoutingOptions
  autoPolicy: PolicyName
  tiers: TierRules
  weights: Readonly<Record<string, number>>
  disabledModels: readonly string[]
  maxCandidates: number
  banditSyncMs: number
  deployments: Readonly<Record<string, readonly string[]>>
}

export const defaultRoutingConfig: RoutingConfig = {
  defaults: {},
  autoPolicy: 'cheap',
  tiers: defaultTierRules,
  weights: {},
  disabledModels: [],
  maxCandidates: 3,
  banditSyncMs: 5_000,
  deployments: {},
}

export function toRoutingConfig(file: z.infer<typeof routingFileSchema> | undefined, configFile: string | undefined): RoutingConfig {
  if (file == null) return defaultRoutingConfig
  let defaults: RoutingOptions
  try {
    defaults = parseRoutingField(file.defaults)
  } catch (error) {
    if (isGatewayError(error)) throw new Error(`${configFile ?? 'switchyard.yaml'}: routing.defaults: ${error.message}`)
    throw error
  }
  const tiers = { ...defaultTierRules }
  for (const [tier, rule] of Object.entries(file.tiers ?? {})) {
    if (rule == null) continue
    const name = tier as keyof TierRules
    tiers[name] = {
      minWeight: rule.min_weight ?? defaultTierRules[name].minWeight,
      ...(rule.models == null ? {} : { models: rule.models }),
    }
  }
  return {
    defaults,
    autoPolicy: file.auto_policy ?? defaultRoutingConfig.autoPolicy,
    tiers,
    weights: file.weights ?? {},
    disabledModels: file.disabled_models ?? [],
    maxCandidates: file.max_candidates ?? defaultRoutingConfig.maxCandidates,
    banditSyncMs: file.bandit_sync_ms ?? defaultRoutingConfig.banditSyncMs,
    deployments: file.deployments ?? {},
  }
}
