import { describe, expect, test } from 'bun:test'
import { createCatalog } from '../catalog/catalog.ts'
import { catalogModelFixture, flatPricingFixture } from '../catalog/catalog-model-fixture.ts'
import type { CatalogModel } from '../catalog/catalog-types.ts'
import { GatewayError } from '../errors/gateway-error.ts'
import { buildModelRegistry } from '../routing/model-registry.ts'
import { createRoutedModelChooser } from './create-routed-model-chooser.ts'

const model = (id: string, input: number, output: number): CatalogModel =>
  catalogModelFixture(id, { pricing: flatPricingFixture(input, output) })

// USD per million, in micro-dollars per million: cheap is light, strong is heavy and dear.
const models = [
  model('p/cheap', 100_000, 200_000),
  model('p/mid', 1_000_000, 4_000_000),
  model('p/strong', 5_000_000, 20_000_000),
  model('p/off', 1, 1),
  model('switchyard/echo', 0, 0),
]
const catalog = createCatalog({ models, aliases: {}, providers: [{ id: 'p', acceptsUnlistedModels: false }] })
const registry = buildModelRegistry(models, {
  weights: { 'p/cheap': 3, 'p/mid': 6, 'p/strong': 9, 'p/off': 10 },
  disabled: new Set(['p/off']),
})
const choose = createRoutedModelChooser({ catalog, registry: () => registry, now: () => 0 })

describe('the routed plan-step chooser', () => {
  test('planning and high_confidence pick by weight; cheap by price; disabled and echo models are never routed to', () => {
    expect(choose({ role: 'primary', policy: 'planning' }).id).toBe('p/strong')
    expect(choose({ role: 'judge', policy: 'high_confidence' }).id).toBe('p/strong')
    expect(choose({ role: 'primary', policy: 'cheap' }).id).toBe('p/cheap')
  })

  test('exclusions give the next best; when nothing else is left, the best excluded model comes back', () => {
    expect(choose({ role: 'review', policy: 'high_confidence', exclude: ['p/strong'] }).id).toBe('p/mid')
    // `normal` weighs price and capability equally: the middle model is its best.
    expect(choose({ role: 'voter', policy: 'normal', exclude: ['p/strong', 'p/mid', 'p/cheap'] }).id).toBe('p/mid')
  })

  test('min weight bounds the choice; one nothing meets is a 400 naming the field', () => {
    expect(choose({ role: 'primary', policy: 'cheap', minWeight: 5 }).id).toBe('p/mid')
    expect(choose({ role: 'review', policy: 'high_confidence', minWeight: 5, exclude: ['p/strong'] }).id).toBe('p/mid')
    try {
      choose({ role: 'review', policy: 'high_confidence', minWeight: 9.5 })
      throw new Error('expected a refusal')
    } catch (error) {
      expect(error).toBeInstanceOf(GatewayError)
      expect([(error as GatewayError).status, (error as GatewayError).param]).toEqual([400, 'orchestration.review_min_weight'])
    }
  })

  test("a key's allowed models bound the choice", () => {
    expect(choose({ role: 'primary', policy: 'planning', allowedModels: ['p/c*', 'p/mid'] }).id).toBe('p/mid')
    expect(choose({ role: 'review', policy: 'high_confidence', allowedModels: ['p/cheap'] }).id).toBe('p/cheap')
  })

  test('a named model wins over the policy; an unknown one is a 404 naming the field', () => {
    expect(choose({ role: 'primary', policy: 'planning', named: 'p/cheap' }).id).toBe('p/cheap')
    try {
      choose({ role: 'primary', policy: 'planning', named: 'p/nope' })
      throw new Error('expected a refusal')
    } catch (error) {
      expect([(error as GatewayError).status, (error as GatewayError).param]).toEqual([404, 'orchestration.primary_model_id'])
    }
  })

  test('a gateway with only the echo model routes every step to it', () => {
    const echoOnly = [model('switchyard/echo', 0, 0)]
    const onlyEcho = createRoutedModelChooser({
      catalog: createCatalog({ models: echoOnly, aliases: {}, providers: [] }),
      registry: () => buildModelRegistry(echoOnly),
      now: () => 0,
    })
    expect(onlyEcho({ role: 'primary', policy: 'planning' }).id).toBe('switchyard/echo')
    expect(onlyEcho({ role: 'judge', policy: 'high_confidence', exclude: ['switchyard/echo'] }).id).toBe('switchyard/echo')
  })
})
