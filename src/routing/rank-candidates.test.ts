import { describe, expect, test } from 'bun:test'
import { catalogModelFixture } from '../catalog/catalog-model-fixture.ts'
import type { CatalogModel } from '../catalog/catalog-types.ts'
import type { GatewayError } from '../errors/gateway-error.ts'
import { applyConstraints } from './apply-constraints.ts'
import { estimateRequest, type RequestEstimate } from './estimate-request.ts'
import type { DeploymentStats, HealthView } from './health-view.ts'
import { buildModelRegistry, defaultWeight } from './model-registry.ts'
import { type RankInput, rankCandidates } from './rank-candidates.ts'
import type { RoutingOptions } from './routing-options.ts'
import { scoreCandidates, scoringProfiles } from './score-candidates.ts'
import { createBanditMemory, seededRandom } from './thompson-bandit.ts'

function model(id: string, usdIn: number, usdOut: number, extra: Partial<CatalogModel> = {}): CatalogModel {
  return catalogModelFixture(id, {
    contextWindow: 128_000,
    maxOutputTokens: 16_000,
    pricing: { inputPerMillion: usdIn * 1e6, cachedInputPerMillion: 0, cacheWritePerMillion: 0, outputPerMillion: usdOut * 1e6 },
    capabilities: ['tools', 'json'],
    ...extra,
  })
}

const catalogModels = [
  model('cheapco/tiny', 0.05, 0.2),
  model('midco/medium', 0.5, 2, { capabilities: ['tools', 'vision', 'json', 'json_schema'] }),
  model('bigco/large', 5, 25, { capabilities: ['tools', 'vision', 'json', 'json_schema', 'reasoning'], contextWindow: 1_000_000 }),
  model('fastco/quick', 0.3, 1.2, { contextWindow: 8_000 }),
]
const registry = buildModelRegistry(catalogModels, {
  weights: { 'cheapco/tiny': 2, 'midco/medium': 5, 'bigco/large': 9, 'fastco/quick': 4 },
})
const smallPrompt = estimateRequest({ messages: [{ role: 'user', content: 'hello there' }] })

function healthFrom(stats: Record<string, Partial<DeploymentStats>>, unavailable: string[] = []): HealthView {
  return {
    stats: (id) =>
      stats[id] == null ? undefined : { state: 'closed', successRate: 1, latencyEmaMs: null, ttftEmaMs: null, requests: 10, ...stats[id] },
    isAvailable: (id) => !unavailable.includes(id),
  }
}

function rank(options: RoutingOptions, extra: Partial<RankInput> = {}) {
  return rankCandidates({
    pool: registry.models,
    options,
    estimate: smallPrompt,
    bucket: 'small',
    health: undefined,
    bandit: { memory: createBanditMemory(), random: seededRandom(1) },
    now: 0,
    maxCandidates: 10,
    ...extra,
  })
}

const ids = (ranking: ReturnType<typeof rank>) => ranking.ordered.map((entry) => entry.model.id)

describe('policies', () => {
  test('cheap puts the cheapest first; high_confidence and planning the heaviest', () => {
    expect(ids(rank({ policy: 'cheap' }))[0]).toBe('cheapco/tiny')
    expect(ids(rank({ policy: 'high_confidence' }))[0]).toBe('bigco/large')
    expect(ids(rank({ policy: 'planning' }))[0]).toBe('bigco/large')
  })

  test('objectives map onto profiles: cheapest = cheap, fastest follows latency, reliable follows errors', () => {
    expect(ids(rank({ objective: 'cheapest' }))).toEqual(ids(rank({ policy: 'cheap' })))
    const health = healthFrom({
      'cheapco/tiny': { latencyEmaMs: 4_000, successRate: 0.5 },
      'midco/medium': { latencyEmaMs: 300, successRate: 0.9 },
      'bigco/large': { latencyEmaMs: 2_000, successRate: 1 },
      'fastco/quick': { latencyEmaMs: 900, successRate: 0.9 },
    })
    expect(ids(rank({ objective: 'fastest' }, { health }))[0]).toBe('midco/medium')
    expect(ids(rank({ objective: 'reliable' }, { health }))[0]).toBe('bigco/large')
  })

  test('an explicit policy wins over an objective', () => {
    expect(rank({ policy: 'high_confidence', objective: 'cheapest' }).policy).toBe('high_confidence')
  })

  test('the score is the documented formula, normalised by the candidates’ maximum', () => {
    const { eligible } = applyConstraints(registry.models, {}, smallPrompt, undefined, 0)
    const scored = scoreCandidates(eligible, scoringProfiles.normal, undefined)
    const large = scored.find((candidate) => candidate.entry.model.id === 'bigco/large')
    // The most expensive and heaviest model: cost term 1, weight term 1, no latency or error data.
    expect(large?.terms).toEqual({ cost: 1, latency: 0, failure: 0, weight: 1 })
    expect(large?.score).toBeCloseTo(0.25 * 1 - 0.25 * 1, 12)
    const tiny = scored.find((candidate) => candidate.entry.model.id === 'cheapco/tiny')
    expect(tiny?.terms.weight).toBeCloseTo(2 / 9, 12)
  })

  test('thompson orders by posterior draws: a proven arm beats a failing one', () => {
    const memory = createBanditMemory()
    for (let index = 0; index < 50; index++) {
      memory.record('midco/medium|small', 0.95, 0)
      memory.record('cheapco/tiny|small', 0, 0)
      memory.record('bigco/large|small', 0.1, 0)
      memory.record('fastco/quick|small', 0.1, 0)
    }
    const ranking = rank({ policy: 'thompson' }, { bandit: { memory, random: seededRandom(7) } })
    expect(ranking.policy).toBe('thompson')
    expect(ids(ranking)[0]).toBe('midco/medium')
    expect(ranking.candidates[0]?.thompsonDraw).toBeGreaterThan(0.8)
  })
})

describe('constraints', () => {
  const rejectedReason = (options: RoutingOptions, id: string, estimate: RequestEstimate = smallPrompt, health?: HealthView) =>
    applyConstraints(registry.models, options, estimate, health, 0).rejected.find((rejection) => rejection.model === id)?.reason

  test('each constraint rejects with its reason', () => {
    expect(rejectedReason({ minWeight: 5 }, 'fastco/quick')).toBe('below_min_weight')
    expect(rejectedReason({ allowedModels: ['midco/*', 'bigco/large'] }, 'cheapco/tiny')).toBe('not_allowed')
    expect(rejectedReason({ allowedModels: ['midco/*'] }, 'midco/medium')).toBeUndefined()
    expect(rejectedReason({ blockedModels: ['*/lar?e'] }, 'bigco/large')).toBe('blocked')
    expect(rejectedReason({ provider: { only: ['midco'] } }, 'bigco/large')).toBe('provider_excluded')
    expect(rejectedReason({ provider: { ignore: ['midco'] } }, 'midco/medium')).toBe('provider_excluded')
    // 1,000 in + 512 out tokens on large: $0.005 + $0.0128 = $0.0178.
    const thousandTokens = { ...smallPrompt, inputTokens: 1_000 }
    expect(rejectedReason({ maxBudgetUsd: 0.017 }, 'bigco/large', thousandTokens)).toBe('over_budget')
    expect(rejectedReason({ maxBudgetUsd: 0.018 }, 'bigco/large', thousandTokens)).toBeUndefined()
    expect(rejectedReason({ maxCostPer1kTokensUsd: 0.001 }, 'midco/medium')).toBe('over_max_cost_per_1k')
    expect(rejectedReason({ maxCostPer1kTokensUsd: 0.001 }, 'cheapco/tiny')).toBeUndefined()
    const health = healthFrom({ 'midco/medium': { latencyEmaMs: 9_000 } }, ['bigco/large'])
    expect(rejectedReason({ maxLatencyMs: 5_000 }, 'midco/medium', smallPrompt, health)).toBe('too_slow')
    // An open circuit is not a rejection: the deployment is demoted (see below).
    expect(rejectedReason({}, 'bigco/large', smallPrompt, health)).toBeUndefined()
  })

  test('context, capabilities and the disabled flag', () => {
    const longPrompt = { ...smallPrompt, inputTokens: 7_500 }
    expect(rejectedReason({}, 'fastco/quick', longPrompt)).toBe('context_overflow')
    const withImage = estimateRequest({
      messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:,' } }] }],
    })
    expect(rejectedReason({}, 'cheapco/tiny', withImage)).toBe('missing_capability')
    expect(rejectedReason({}, 'midco/medium', withImage)).toBeUndefined()
    const disabled = buildModelRegistry(catalogModels, { disabled: new Set(['cheapco/tiny']) })
    expect(applyConstraints(disabled.models, {}, smallPrompt, undefined, 0).rejected[0]?.reason).toBe('disabled')
  })

  test('nothing eligible: 400 naming routing', () => {
    const error = (() => {
      try {
        rank({ minWeight: 10 })
      } catch (thrown) {
        return thrown as GatewayError
      }
    })()
    expect(error?.status).toBe(400)
    expect(error?.param).toBe('routing')
    const allOpen = healthFrom(
      {},
      catalogModels.map((entry) => entry.id),
    )
    // Open circuits never empty the list: the call path skips them and answers 503 with Retry-After.
    expect(ids(rank({ policy: 'cheap' }, { health: allOpen }))).toHaveLength(catalogModels.length)
  })

  test('unavailable deployments go last, in score order', () => {
    const oneOpen = healthFrom({}, ['cheapco/tiny'])
    const order = ids(rank({ policy: 'cheap' }, { health: oneOpen }))
    expect(order.at(-1)).toBe('cheapco/tiny')
    expect(order).toHaveLength(catalogModels.length)
  })

  test('provider.order and allow_fallbacks shape what the call path gets', () => {
    expect(ids(rank({ policy: 'cheap', provider: { order: ['bigco', 'midco'] } })).slice(0, 2)).toEqual(['bigco/large', 'midco/medium'])
    expect(ids(rank({ policy: 'cheap', provider: { allowFallbacks: false } }))).toEqual(['cheapco/tiny'])
    expect(ids(rank({ policy: 'cheap' }, { maxCandidates: 2 }))).toHaveLength(2)
  })

  test('a tier with no heavy-enough model is relaxed, the request’s own constraints are not', () => {
    const ranking = rank({ policy: 'cheap' }, { tier: { name: 'REASONING', rule: { minWeight: 10 } } })
    expect(ranking.tierRelaxed).toBe(true)
    const strict = rank({ policy: 'cheap' }, { tier: { name: 'COMPLEX', rule: { minWeight: 5 } } })
    expect(strict.tierRelaxed).toBe(false)
    expect(ids(strict)).toEqual(['midco/medium', 'bigco/large'])
    const globs = rank({ policy: 'cheap' }, { tier: { name: 'SIMPLE', rule: { minWeight: 0, models: ['fastco/*'] } } })
    expect(ids(globs)).toEqual(['fastco/quick'])
  })
})

describe('default weights', () => {
  test('guessed from output price, reasoning +1, clamped to 0..10', () => {
    expect(defaultWeight(model('a/b', 1, 1))).toBe(5)
    expect(defaultWeight(model('a/b', 1, 10))).toBe(7)
    expect(defaultWeight(model('a/b', 1, 0.1))).toBe(3)
    expect(defaultWeight(model('a/b', 15, 75, { capabilities: ['reasoning'] }))).toBe(10)
    expect(defaultWeight(model('a/b', 0, 0))).toBe(1)
  })
})
