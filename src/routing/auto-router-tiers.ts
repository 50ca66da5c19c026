import type { RouterTier } from './classifier/load-router-model.ts'

/** Which models a classifier tier may use: a minimum weight and optional model globs. */
export type TierRule = { minWeight: number; models?: readonly string[] }
export type TierRules = Record<RouterTier, TierRule>

/**
 * Defaults: a simple prompt may go anywhere (the policy then picks the cheapest), harder ones
 * need more capable models. switchyard.yaml `routing.tiers` replaces any of them.
 */
export const defaultTierRules: TierRules = {
  SIMPLE: { minWeight: 0 },
  MEDIUM: { minWeight: 4 },
  COMPLEX: { minWeight: 6 },
  REASONING: { minWeight: 7 },
}

export const tierOrder: readonly RouterTier[] = ['SIMPLE', 'MEDIUM', 'COMPLEX', 'REASONING']
