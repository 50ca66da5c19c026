import { distance } from 'fastest-levenshtein'
import type { CatalogModel } from './catalog-types.ts'

export type ProviderListing = { id: string; acceptsUnlistedModels: boolean }

export type Catalog = {
  readonly models: readonly CatalogModel[]
  /** Public id, alias or bare upstream name → model; `provider/<unlisted>` where the provider allows it. */
  resolve(name: string): CatalogModel | undefined
  /** The known names closest to an unknown one, best first. */
  suggest(name: string, count?: number): string[]
}

/**
 * Builds the lookup tables once at start. Resolution order: exact public id, alias, bare upstream
 * name (first provider listed wins, so a native provider beats a reseller), then `provider/anything`
 * for providers that serve models the catalogue does not list (Ollama, OpenRouter, vLLM...).
 */
export function createCatalog(options: {
  models: readonly CatalogModel[]
  aliases: Readonly<Record<string, string>>
  providers: readonly ProviderListing[]
}): Catalog {
  const byName = new Map<string, CatalogModel>()
  for (const model of options.models) byName.set(model.id, model)
  for (const model of options.models) {
    for (const alias of model.aliases) if (!byName.has(alias)) byName.set(alias, model)
  }
  for (const [alias, target] of Object.entries(options.aliases)) {
    const model = byName.get(target)
    if (model != null) byName.set(alias, model)
  }
  for (const model of options.models) {
    if (!byName.has(model.upstreamModel)) byName.set(model.upstreamModel, model)
  }
  const openProviders = new Set(options.providers.filter((provider) => provider.acceptsUnlistedModels).map((provider) => provider.id))
  const knownNames = [...byName.keys()]

  return {
    models: options.models,
    resolve(name) {
      const known = byName.get(name)
      if (known != null) return known
      const slash = name.indexOf('/')
      if (slash <= 0 || slash === name.length - 1) return undefined
      const providerId = name.slice(0, slash)
      if (!openProviders.has(providerId)) return undefined
      return unlistedModel(providerId, name.slice(slash + 1))
    },
    suggest(name, count = 3) {
      const lowered = name.toLowerCase()
      return knownNames
        .map((candidate) => ({ candidate, score: distance(lowered, candidate.toLowerCase()) }))
        .sort((left, right) => left.score - right.score || left.candidate.localeCompare(right.candidate))
        .slice(0, count)
        .map((entry) => entry.candidate)
    },
  }
}

function unlistedModel(providerId: string, upstreamModel: string): CatalogModel {
  return {
    id: `${providerId}/${upstreamModel}`,
    providerId,
    upstreamModel,
    kind: 'chat',
    contextWindow: undefined,
    maxOutputTokens: undefined,
    pricing: undefined,
    capabilities: [],
    aliases: [],
    unlisted: true,
  }
}
