import type { CatalogModel } from '../catalog/catalog-types.ts'

/**
 * The routing view of the catalogue: each chat model with its capability weight (0–10) and
 * whether routing may pick it. A model is one deployment today (provider + upstream model + the
 * provider's base URL); its id `provider/model` is the deployment id health is keyed by.
 */
export type RoutableModel = {
  model: CatalogModel
  weight: number
  /** False when disabled by config or the admin API: never routed to automatically. */
  enabled: boolean
}

export type ModelRegistry = {
  readonly models: readonly RoutableModel[]
  get(id: string): RoutableModel | undefined
}

/**
 * Without a configured weight, capability is guessed from the output price (vendors price by
 * capability): USD 1/M → 5, 10/M → 7, 100/M → 9, 0.1/M → 3; reasoning models get +1. Half steps.
 */
export function defaultWeight(model: CatalogModel): number {
  if (model.pricing == null) return 5
  const outputUsdPerMillion = model.pricing.outputPerMillion / 1_000_000
  if (outputUsdPerMillion <= 0) return 1
  const guess = 5 + 2 * Math.log10(outputUsdPerMillion) + (model.capabilities.includes('reasoning') ? 1 : 0)
  return Math.max(0, Math.min(10, Math.round(guess * 2) / 2))
}

export function buildModelRegistry(
  models: readonly CatalogModel[],
  overrides: { weights?: Readonly<Record<string, number>>; disabled?: ReadonlySet<string> } = {},
): ModelRegistry {
  const routable: RoutableModel[] = models
    .filter((model) => model.kind === 'chat')
    .map((model) => ({
      model,
      weight: overrides.weights?.[model.id] ?? defaultWeight(model),
      enabled: !(overrides.disabled?.has(model.id) ?? false),
    }))
  const byId = new Map(routable.map((entry) => [entry.model.id, entry]))
  return { models: routable, get: (id) => byId.get(id) }
}
