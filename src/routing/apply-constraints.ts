import { estimateCostMicros, type RequestEstimate } from './estimate-request.ts'
import { matchesAnyGlob } from './glob-match.ts'
import type { HealthView } from './health-view.ts'
import type { RoutableModel } from './model-registry.ts'
import type { RoutingOptions } from './routing-options.ts'

export type RejectionReason =
  | 'disabled'
  | 'below_min_weight'
  | 'context_overflow'
  | 'not_allowed'
  | 'blocked'
  | 'provider_excluded'
  | 'missing_capability'
  | 'over_budget'
  | 'over_max_cost_per_1k'
  | 'too_slow'

export type Rejection = { model: string; reason: RejectionReason; detail: string }
export type EligibleModel = RoutableModel & { estimatedCostMicros: number }

/**
 * The eligibility filter: every model either passes every constraint or is rejected with the
 * first reason it fails (recorded in the explanation). Order: cheap checks first.
 */
export function applyConstraints(
  models: readonly RoutableModel[],
  options: RoutingOptions,
  estimate: RequestEstimate,
  health: HealthView | undefined,
  now: number,
): { eligible: EligibleModel[]; rejected: Rejection[] } {
  const eligible: EligibleModel[] = []
  const rejected: Rejection[] = []
  const requestTokens = estimate.inputTokens + estimate.outputTokens
  for (const entry of models) {
    const { model } = entry
    const reject = (reason: RejectionReason, detail: string) => {
      rejected.push({ model: model.id, reason, detail })
    }
    const names = [model.id, ...model.aliases]
    const estimatedCostMicros = estimateCostMicros(model.pricing, estimate)
    if (!entry.enabled) reject('disabled', 'disabled in the registry')
    else if (options.minWeight != null && entry.weight < options.minWeight)
      reject('below_min_weight', `weight ${entry.weight} < ${options.minWeight}`)
    else if (model.contextWindow != null && Math.ceil(estimate.inputTokens * 1.15) > model.contextWindow)
      reject('context_overflow', `~${estimate.inputTokens} input tokens (+15%) > context ${model.contextWindow}`)
    else if (options.allowedModels != null && !matchesAnyGlob(options.allowedModels, names)) reject('not_allowed', 'not in allowed_models')
    else if (options.blockedModels != null && matchesAnyGlob(options.blockedModels, names)) reject('blocked', 'in blocked_models')
    else if (options.provider?.only != null && !options.provider.only.includes(model.providerId))
      reject('provider_excluded', `provider ${model.providerId} not in provider.only`)
    else if (options.provider?.ignore?.includes(model.providerId) === true)
      reject('provider_excluded', `provider ${model.providerId} ignored`)
    else if (estimate.needsTools && !model.capabilities.includes('tools')) reject('missing_capability', 'request has tools')
    else if (estimate.needsVision && !model.capabilities.includes('vision')) reject('missing_capability', 'request has images')
    else if (estimate.needsJsonSchema && !model.capabilities.includes('json_schema'))
      reject('missing_capability', 'request wants json_schema')
    else if (options.maxBudgetUsd != null && estimatedCostMicros > options.maxBudgetUsd * 1_000_000)
      reject('over_budget', `estimated $${(estimatedCostMicros / 1e6).toFixed(6)} > max_budget_usd ${options.maxBudgetUsd}`)
    else if (
      options.maxCostPer1kTokensUsd != null &&
      requestTokens > 0 &&
      estimatedCostMicros / (requestTokens / 1_000) > options.maxCostPer1kTokensUsd * 1_000_000
    )
      reject('over_max_cost_per_1k', `blended $${(estimatedCostMicros / requestTokens).toFixed(6)}/1k > ${options.maxCostPer1kTokensUsd}`)
    else if (options.maxLatencyMs != null && (health?.stats(model.id)?.latencyEmaMs ?? 0) > options.maxLatencyMs)
      reject('too_slow', `latency EMA ${Math.round(health?.stats(model.id)?.latencyEmaMs ?? 0)} ms > ${options.maxLatencyMs}`)
    else eligible.push({ ...entry, estimatedCostMicros })
  }
  return { eligible, rejected }
}
