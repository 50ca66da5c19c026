import { GatewayError } from '../errors/gateway-error.ts'
import { applyConstraints, type EligibleModel, type Rejection } from './apply-constraints.ts'
import type { TierRule } from './auto-router-tiers.ts'
import type { RequestEstimate } from './estimate-request.ts'
import { matchesAnyGlob } from './glob-match.ts'
import type { HealthView } from './health-view.ts'
import type { RoutableModel } from './model-registry.ts'
import type { RoutingExplanation } from './routing-explanation.ts'
import type { RoutingOptions } from './routing-options.ts'
import { profileFor, scoreCandidates } from './score-candidates.ts'
import { type BanditMemory, type Random, thompsonOrder } from './thompson-bandit.ts'

export type RankInput = {
  pool: readonly RoutableModel[]
  options: RoutingOptions
  estimate: RequestEstimate
  bucket: string
  /** The auto-router's tier rule, when the classifier chose one. */
  tier?: { name: string; rule: TierRule }
  health: HealthView | undefined
  bandit: { memory: Pick<BanditMemory, 'get'>; random: Random }
  now: number
  /** How many candidates go to the call path (the choice plus fallbacks). */
  maxCandidates: number
}

export type Ranking = {
  ordered: EligibleModel[]
  policy: string
  candidates: RoutingExplanation['candidates']
  rejected: Rejection[]
  tierRelaxed: boolean
}

/**
 * Filters the pool by the request's constraints (and the tier's), orders what is left by the
 * policy, applies `provider.order` and `allow_fallbacks`, and keeps the first `maxCandidates`.
 * When a tier leaves nothing (say, no model is heavy enough), the tier is relaxed rather than
 * failing: the request's own constraints are never relaxed.
 */
export function rankCandidates(input: RankInput): Ranking {
  const { options, estimate, tier } = input
  let tierRejected: Rejection[] = []
  let pool = input.pool
  const tierModels = tier?.rule.models
  if (tierModels != null) {
    tierRejected = pool
      .filter((entry) => !matchesAnyGlob(tierModels, [entry.model.id, ...entry.model.aliases]))
      .map((entry) => ({ model: entry.model.id, reason: 'not_allowed' as const, detail: `not in tier ${tier?.name}` }))
    pool = pool.filter((entry) => matchesAnyGlob(tierModels, [entry.model.id, ...entry.model.aliases]))
  }
  const tierMinWeight = Math.max(options.minWeight ?? 0, tier?.rule.minWeight ?? 0)
  let filtered = applyConstraints(pool, { ...options, minWeight: tierMinWeight }, estimate, input.health, input.now)
  let tierRelaxed = false
  if (filtered.eligible.length === 0 && tier != null) {
    tierRelaxed = true
    filtered = applyConstraints(input.pool, options, estimate, input.health, input.now)
    tierRejected = []
  }
  const rejected = [...tierRejected, ...filtered.rejected]
  if (filtered.eligible.length === 0) throw noEligibleModel(rejected)

  let policy: string
  let ordered: EligibleModel[]
  let candidates: RoutingExplanation['candidates']
  if (options.policy === 'thompson') {
    policy = 'thompson'
    const byId = new Map(filtered.eligible.map((entry) => [entry.model.id, entry]))
    const draws = thompsonOrder([...byId.keys()], input.bucket, input.bandit.memory, input.bandit.random, input.now)
    ordered = draws.map((draw) => byId.get(draw.modelId)).filter((entry): entry is EligibleModel => entry != null)
    const drawOf = new Map(draws.map((draw) => [draw.modelId, draw.draw]))
    candidates = ordered.map((entry) => ({ ...describe(entry), thompsonDraw: round(drawOf.get(entry.model.id) ?? 0) }))
  } else {
    const { name, profile } = profileFor(options.policy, options.objective)
    policy = name
    const scored = scoreCandidates(filtered.eligible, profile, input.health)
    ordered = scored.map((candidate) => candidate.entry)
    candidates = scored.map((candidate) => ({
      ...describe(candidate.entry),
      score: round(candidate.score),
      terms: {
        cost: round(candidate.terms.cost),
        latency: round(candidate.terms.latency),
        failure: round(candidate.terms.failure),
        weight: round(candidate.terms.weight),
      },
    }))
  }
  const providerOrder = options.provider?.order
  if (providerOrder != null && providerOrder.length > 0) {
    const rank = (entry: EligibleModel) => {
      const index = providerOrder.indexOf(entry.model.providerId)
      return index === -1 ? providerOrder.length : index
    }
    ordered = ordered
      .map((entry, index) => ({ entry, index }))
      .sort((l, r) => rank(l.entry) - rank(r.entry) || l.index - r.index)
      .map((x) => x.entry)
  }
  // An unavailable deployment (open circuit, pending Retry-After) goes last rather than out: the
  // call path skips it and says so, sends the one half-open probe per cooldown, and answers 503
  // with Retry-After when every candidate is out (docs/reliability.md).
  const { health } = input
  if (health != null) {
    const isUp = (entry: EligibleModel) => health.isAvailable(entry.model.id, input.now)
    ordered = [...ordered.filter(isUp), ...ordered.filter((entry) => !isUp(entry))]
  }
  const keep = options.provider?.allowFallbacks === false ? 1 : Math.max(1, input.maxCandidates)
  return { ordered: ordered.slice(0, keep), policy, candidates, rejected, tierRelaxed }
}

function describe(entry: EligibleModel) {
  return {
    model: entry.model.id,
    provider: entry.model.providerId,
    weight: entry.weight,
    estimatedCostUsd: round(entry.estimatedCostMicros / 1_000_000, 8),
  }
}

function round(value: number, digits = 4): number {
  const scale = 10 ** digits
  return Math.round(value * scale) / scale
}

/** Every model ruled out by the request's constraints: a 400 saying why. */
function noEligibleModel(rejected: readonly Rejection[]): GatewayError {
  const reasons = new Map<string, number>()
  for (const rejection of rejected) reasons.set(rejection.reason, (reasons.get(rejection.reason) ?? 0) + 1)
  const summary = [...reasons].map(([reason, count]) => `${reason} ×${count}`).join(', ')
  return new GatewayError(
    'invalid_request',
    `No model satisfies the routing constraints${summary === '' ? ' (no routable model is configured)' : ` (${summary})`}. Relax routing, policy or directive limits.`,
    { param: 'routing' },
  )
}
