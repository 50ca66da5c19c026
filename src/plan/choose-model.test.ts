import { describe, expect, test } from 'bun:test'
import { createCatalog } from '../catalog/catalog.ts'
import { catalogModelFixture, flatPricingFixture } from '../catalog/catalog-model-fixture.ts'
import type { CatalogModel } from '../catalog/catalog-types.ts'
import { GatewayError } from '../errors/gateway-error.ts'
import { createInterimModelChooser } from './choose-model.ts'

const model = (id: string, input: number | undefined, overrides: Partial<CatalogModel> = {}): CatalogModel =>
  catalogModelFixture(id, { pricing: input == null ? undefined : flatPricingFixture(input), ...overrides })

describe('interim model chooser', () => {
  const catalog = createCatalog({
    models: [
      model('p/dear', 9),
      model('p/cheap', 1),
      model('p/unpriced', undefined),
      model('p/embed', 0, { kind: 'embeddings' }),
      model('switchyard/echo', 0),
      model('p/mid', 5),
    ],
    aliases: {},
    providers: [{ id: 'p', acceptsUnlistedModels: false }],
  })
  const choose = createInterimModelChooser(catalog)

  test('the named model, else the cheapest priced chat model not excluded, else echo', () => {
    expect(choose({ role: 'primary', policy: 'planning', named: 'p/dear' }).id).toBe('p/dear')
    expect(choose({ role: 'primary', policy: 'planning' }).id).toBe('p/cheap')
    expect(choose({ role: 'review', policy: 'adversarial', exclude: ['p/cheap'] }).id).toBe('p/mid')
    expect(choose({ role: 'voter', policy: 'normal', exclude: ['p/cheap', 'p/mid', 'p/dear'] }).id).toBe('switchyard/echo')
  })

  test('an unknown named model is a 404 naming the field', () => {
    expect(() => choose({ role: 'judge', policy: 'high_confidence', named: 'p/nope' })).toThrow(GatewayError)
    try {
      choose({ role: 'judge', policy: 'high_confidence', named: 'p/nope' })
    } catch (error) {
      expect((error as GatewayError).param).toBe('orchestration.review_model_id')
      expect((error as GatewayError).status).toBe(404)
    }
  })
})
