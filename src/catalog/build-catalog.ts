import type { ModelConfig, ProviderConfig } from '../config/config-types.ts'
import { type BuiltinModel, builtinModels } from './builtin-models.ts'
import { type Catalog, createCatalog } from './catalog.ts'
import type { CatalogModel, ModelPricing } from './catalog-types.ts'
import { usdPerMillionToMicros } from './compute-cost.ts'

/** The catalogue of what this gateway can serve: built-in models of configured providers, then the config file's. */
export function buildCatalog(options: {
  providers: readonly ProviderConfig[]
  models: readonly ModelConfig[]
  aliases: Readonly<Record<string, string>>
}): Catalog {
  const providerIds = new Set(options.providers.map((provider) => provider.id))
  const models = new Map<string, CatalogModel>()
  for (const builtin of builtinModels) {
    if (providerIds.has(builtin.provider)) {
      const model = fromBuiltin(builtin)
      models.set(model.id, model)
    }
  }
  for (const declared of options.models) {
    const model = fromConfig(declared, models.get(declared.id))
    models.set(model.id, model)
  }
  return createCatalog({
    models: [...models.values()],
    aliases: options.aliases,
    providers: options.providers.map((provider) => ({ id: provider.id, acceptsUnlistedModels: provider.acceptsUnlistedModels })),
  })
}

function fromBuiltin(builtin: BuiltinModel): CatalogModel {
  const [input, cachedInput, output, cacheWrite] = builtin.price
  return {
    id: `${builtin.provider}/${builtin.model}`,
    providerId: builtin.provider,
    upstreamModel: builtin.model,
    kind: builtin.kind ?? 'chat',
    contextWindow: builtin.context,
    maxOutputTokens: builtin.maxOutput,
    pricing: pricingFrom({ input, cachedInput, output, cacheWrite }),
    capabilities: builtin.capabilities ?? [],
    aliases: [],
    unlisted: false,
  }
}

function fromConfig(declared: ModelConfig, builtin: CatalogModel | undefined): CatalogModel {
  return {
    id: declared.id,
    providerId: declared.provider,
    upstreamModel: declared.upstreamModel,
    kind: declared.kind ?? builtin?.kind ?? 'chat',
    contextWindow: declared.contextWindow ?? builtin?.contextWindow,
    maxOutputTokens: declared.maxOutputTokens ?? builtin?.maxOutputTokens,
    pricing: declared.pricingUsdPerMillion == null ? builtin?.pricing : pricingFrom(declared.pricingUsdPerMillion),
    capabilities: declared.capabilities ?? builtin?.capabilities ?? [],
    aliases: declared.aliases,
    unlisted: false,
  }
}

function pricingFrom(price: {
  input: number
  output: number
  cachedInput: number | undefined
  cacheWrite: number | undefined
}): ModelPricing {
  return {
    inputPerMillion: usdPerMillionToMicros(price.input),
    cachedInputPerMillion: usdPerMillionToMicros(price.cachedInput ?? price.input),
    // Providers without a separate cache-write price bill those tokens as plain input.
    cacheWritePerMillion: usdPerMillionToMicros(price.cacheWrite ?? price.input),
    outputPerMillion: usdPerMillionToMicros(price.output),
  }
}
