import type { EligibleModel } from './apply-constraints.ts'
import type { HealthView } from './health-view.ts'
import type { Objective, PolicyName } from './routing-options.ts'

/** Weights of the four terms; a lower score is better and capability is subtracted. */
export type ScoringProfile = { cost: number; latency: number; failure: number; weight: number }

/** TokenHub's profiles (internal/router/scoring.go), plus two for AllTokens' objectives. */
export const scoringProfiles: Record<Exclude<PolicyName, 'thompson'> | 'fastest' | 'reliable', ScoringProfile> = {
  cheap: { cost: 0.7, latency: 0.1, failure: 0.1, weight: 0.1 },
  normal: { cost: 0.25, latency: 0.25, failure: 0.25, weight: 0.25 },
  high_confidence: { cost: 0.05, latency: 0.1, failure: 0.15, weight: 0.7 },
  planning: { cost: 0.1, latency: 0.1, failure: 0.2, weight: 0.6 },
  fastest: { cost: 0.1, latency: 0.7, failure: 0.1, weight: 0.1 },
  reliable: { cost: 0.1, latency: 0.1, failure: 0.7, weight: 0.1 },
}

/** AllTokens' objective, used when no policy is given: cheapest→cheap, balanced→normal. */
export function profileFor(policy: PolicyName | undefined, objective: Objective | undefined): { name: string; profile: ScoringProfile } {
  if (policy != null && policy !== 'thompson') return { name: policy, profile: scoringProfiles[policy] }
  switch (objective) {
    case 'cheapest':
      return { name: 'cheap', profile: scoringProfiles.cheap }
    case 'fastest':
      return { name: 'fastest', profile: scoringProfiles.fastest }
    case 'reliable':
      return { name: 'reliable', profile: scoringProfiles.reliable }
    default:
      return { name: 'normal', profile: scoringProfiles.normal }
  }
}

export type ScoredCandidate = {
  entry: EligibleModel
  score: number
  terms: { cost: number; latency: number; failure: number; weight: number }
}

/**
 * score = wc·norm(cost) + wl·norm(latency) + wf·norm(errorRate) − ww·norm(weight), where
 * norm(v) = v / max over the eligible candidates (0 when that max is 0). Candidates without
 * latency history get the mean of those with one, so "unknown" is neither rewarded nor punished.
 * Sorted best first; ties go to the cheaper, then the more capable model, then by id.
 */
export function scoreCandidates(
  candidates: readonly EligibleModel[],
  profile: ScoringProfile,
  health: HealthView | undefined,
): ScoredCandidate[] {
  const latencies = candidates.map((candidate) => health?.stats(candidate.model.id)?.latencyEmaMs ?? null)
  const known = latencies.filter((value): value is number => value != null)
  const meanLatency = known.length === 0 ? 0 : known.reduce((sum, value) => sum + value, 0) / known.length
  const raw = candidates.map((candidate, index) => {
    const stats = health?.stats(candidate.model.id)
    return {
      cost: candidate.estimatedCostMicros,
      latency: latencies[index] ?? meanLatency,
      failure: stats == null || stats.requests === 0 ? 0 : 1 - stats.successRate,
      weight: candidate.weight,
    }
  })
  const max = { cost: 0, latency: 0, failure: 0, weight: 0 }
  for (const terms of raw) {
    max.cost = Math.max(max.cost, terms.cost)
    max.latency = Math.max(max.latency, terms.latency)
    max.failure = Math.max(max.failure, terms.failure)
    max.weight = Math.max(max.weight, terms.weight)
  }
  const norm = (value: number, top: number) => (top <= 0 ? 0 : Math.min(1, Math.max(0, value / top)))
  const scored = candidates.map((entry, index) => {
    const value = raw[index] ?? { cost: 0, latency: 0, failure: 0, weight: 0 }
    const terms = {
      cost: norm(value.cost, max.cost),
      latency: norm(value.latency, max.latency),
      failure: norm(value.failure, max.failure),
      weight: norm(value.weight, max.weight),
    }
    const score =
      profile.cost * terms.cost + profile.latency * terms.latency + profile.failure * terms.failure - profile.weight * terms.weight
    return { entry, score, terms }
  })
  return scored.sort(
    (left, right) =>
      left.score - right.score ||
      left.entry.estimatedCostMicros - right.entry.estimatedCostMicros ||
      right.entry.weight - left.entry.weight ||
      left.entry.model.id.localeCompare(right.entry.model.id),
  )
}
