import type { CatalogModel, ModelPricing } from './catalog-types.ts'

/**
 * Test fixture: a listed chat model named `provider/model`, split into its provider and upstream
 * model, knowing nothing (no pricing, limits or capabilities) unless `overrides` says so. One
 * builder for every test that needs catalogue entries, so a new CatalogModel field is added once.
 */
export function catalogModelFixture(id: string, overrides: Partial<CatalogModel> = {}): CatalogModel {
  const [providerId = '', upstreamModel = ''] = id.split('/')
  return {
    id,
    providerId,
    upstreamModel,
    kind: 'chat',
    contextWindow: undefined,
    maxOutputTokens: undefined,
    pricing: undefined,
    capabilities: [],
    aliases: [],
    unlisted: false,
    ...overrides,
  }
}

/** Test fixture: pricing where cached input and cache writes cost what input costs (micro-dollars per million). */
export function flatPricingFixture(inputPerMillion: number, outputPerMillion = inputPerMillion): ModelPricing {
  return { inputPerMillion, cachedInputPerMillion: inputPerMillion, cacheWritePerMillion: inputPerMillion, outputPerMillion }
}
