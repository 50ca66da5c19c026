import type { Usage } from '../providers/provider-adapter.ts'
import type { ModelPricing } from './catalog-types.ts'

/**
 * Cost of one call in integer micro-dollars, rounded once at the end so the ledger never drifts by
 * summing rounded parts. Cached reads and cache writes are priced separately from plain input.
 */
export function computeCostMicros(usage: Usage, pricing: ModelPricing | undefined): number {
  if (pricing == null) return 0
  const plainInput = Math.max(0, usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens)
  const scaled =
    plainInput * pricing.inputPerMillion +
    usage.cachedInputTokens * pricing.cachedInputPerMillion +
    usage.cacheWriteTokens * pricing.cacheWritePerMillion +
    usage.outputTokens * pricing.outputPerMillion
  return Math.round(scaled / 1_000_000)
}

/** USD per million tokens (as vendors publish) to integer micro-dollars per million tokens. */
export function usdPerMillionToMicros(usd: number): number {
  return Math.round(usd * 1_000_000)
}

export function microsToUsd(micros: number): number {
  return micros / 1_000_000
}
