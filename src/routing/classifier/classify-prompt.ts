import { extractPromptFeatures, handFeatureNames } from './extract-prompt-features.ts'
import type { RouterModel, RouterTier } from './load-router-model.ts'

export type PromptClassification = {
  tier: RouterTier
  /** Estimated probability that the prompt needs the strong model, 0..1. */
  score: number
  /** Only with `explain: true`: each hand feature's contribution to the logit. */
  features?: Record<string, number>
}

/**
 * Standardised hand features are clipped so that prompts far outside the training data (a
 * one-word greeting, a 100k-token paste) cannot push the logit arbitrarily far on one feature.
 */
export const handFeatureClip = 4

/**
 * Scores a prompt with the local logistic-regression router. Pure with respect to its inputs;
 * it reuses module-level buffers, so it is cheap but not re-entrant across threads (JS has none
 * here). With `explain`, it also returns the hand-feature contributions (that path allocates).
 */
export function classifyPrompt(text: string, model: RouterModel, options?: { explain?: boolean }): PromptClassification {
  const features = extractPromptFeatures(text, model.hashBits)
  let hashedSum = 0
  for (let index = 0; index < features.hashedCount; index++) {
    hashedSum += model.hashedWeights[features.hashedBuckets[index] ?? 0] ?? 0
  }
  // Binary bucket features scaled by 1/sqrt(count): a long prompt's many words don't swamp
  // the logit, a short prompt's few words still count.
  let logit = model.bias + (features.hashedCount > 0 ? hashedSum / Math.sqrt(features.hashedCount) : 0)
  const explained: Record<string, number> | undefined = options?.explain === true ? {} : undefined
  for (let index = 0; index < features.hand.length; index++) {
    const raw = features.hand[index] ?? 0
    const standardised = (raw - (model.handMean[index] ?? 0)) / (model.handScale[index] ?? 1)
    const clipped = Math.max(-handFeatureClip, Math.min(handFeatureClip, standardised))
    const contribution = clipped * (model.handWeights[index] ?? 0)
    logit += contribution
    if (explained !== undefined) explained[handFeatureNames[index] ?? `hand${index}`] = contribution
  }
  const score = 1 / (1 + Math.exp(-logit))
  const thresholds = model.tierThresholds
  const tier: RouterTier =
    score < thresholds.medium ? 'SIMPLE' : score < thresholds.complex ? 'MEDIUM' : score < thresholds.reasoning ? 'COMPLEX' : 'REASONING'
  return explained === undefined ? { tier, score } : { tier, score, features: explained }
}
