import { z } from 'zod'
import { buildCatalog } from '../catalog/build-catalog.ts'
import { type Catalog, createCatalog } from '../catalog/catalog.ts'
import type { CatalogModel } from '../catalog/catalog-types.ts'
import { modelFileSchema, providerFileSchema } from '../config/config-file-schema.ts'
import type { Config, ModelConfig, ProviderConfig } from '../config/config-types.ts'
import { describeZodError, providerFromFile, toModelConfig } from '../config/load-config.ts'
import { GatewayError } from '../errors/gateway-error.ts'
import { createProviderRegistry, type ProviderRegistry, type RegisteredProvider } from '../providers/provider-registry.ts'
import { buildModelRegistry, type ModelRegistry } from '../routing/model-registry.ts'
import type { RegistryEntryRow, RoutingStore } from '../store/routing-store.ts'
import { LiveMap } from './live-map.ts'

/** A model entry of the admin API: switchyard.yaml's model shape plus the routing weight. */
export const adminModelSchema = modelFileSchema.extend({
  weight: z.number().min(0).max(10).optional(),
  /** Other deployments of this model (ids of other catalogue entries), tried after it. */
  deployments: z.array(z.string().min(1)).optional(),
})
export type AdminModelSpec = z.infer<typeof adminModelSchema>
export const adminProviderSchema = providerFileSchema
export type AdminProviderSpec = z.infer<typeof adminProviderSchema>

export type LiveRegistry = {
  /** Stable objects for the pipeline; their contents follow the admin API. */
  catalog: Catalog
  providers: ProviderRegistry
  modelRegistry(): ModelRegistry
  /** Other deployments per model id: `routing.deployments` of the config plus the admin API's. */
  deployments(): Readonly<Record<string, readonly string[]>>
  rows(): readonly RegistryEntryRow[]
  /** Where each model and provider came from. */
  sourceOfModel(id: string): 'builtin' | 'config' | 'admin'
  sourceOfProvider(id: string): 'config' | 'admin'
  isModelDisabled(id: string): boolean
  isProviderDisabled(id: string): boolean
  /** The base config's and the admin API's providers, disabled ones included. */
  allProviders(): readonly ProviderConfig[]
  /** Every model, disabled ones included. */
  allModels(): readonly CatalogModel[]
  put(row: Omit<RegistryEntryRow, 'updatedAt'>): Promise<void>
  /** Re-reads the store if another replica changed it. */
  refresh(): Promise<void>
  stop(): void
}

const source = 'admin API'

/**
 * The model and provider registry the gateway serves: the config's (detected providers,
 * switchyard.yaml, built-in models) with the admin API's entries on top, persisted in the Store.
 * Every change rebuilds the catalogue, the provider adapters and the routing registry and swaps
 * them in at once: in-flight requests keep what they resolved, the next request sees the change.
 * Other replicas pick changes up by polling a cheap version query every `pollMs`.
 */
export async function createLiveRegistry(options: {
  config: Config
  store: RoutingStore['registry']
  pollMs: number
  now: () => number
  onError: (error: unknown) => void
}): Promise<LiveRegistry> {
  const { config, store } = options
  const providerMap = new LiveMap<string, RegisteredProvider>(new Map())
  let current = build([], options.onError)
  providerMap.replace(current.providerRegistry)
  let rows: RegistryEntryRow[] = []
  let version = ''
  let lastUpdatedAt = 0

  const catalog: Catalog = {
    get models() {
      return current.catalog.models
    },
    resolve: (name) => current.catalog.resolve(name),
    suggest: (name, count) => current.catalog.suggest(name, count),
  }

  function build(entries: readonly RegistryEntryRow[], onError: (error: unknown) => void) {
    const disabledProviders = new Set(entries.filter((row) => row.kind === 'provider' && row.disabled).map((row) => row.id))
    const disabledModels = new Set(entries.filter((row) => row.kind === 'model' && row.disabled).map((row) => row.id))
    const providersById = new Map(config.providers.map((provider) => [provider.id, provider]))
    for (const row of entries) {
      if (row.kind !== 'provider' || row.spec == null) continue
      try {
        const spec = adminProviderSchema.parse(JSON.parse(row.spec))
        providersById.set(row.id, providerFromFile(row.id, spec, providersById.get(row.id), source))
      } catch (error) {
        onError(error) // a row written by a newer version, say: skip it, keep serving
      }
    }
    const allProviders = [...providersById.values()]
    const knownProviders = new Set(allProviders.map((provider) => provider.id))
    const models: ModelConfig[] = [...config.models]
    const weights: Record<string, number> = { ...config.routing.weights }
    const deployments: Record<string, readonly string[]> = { ...config.routing.deployments }
    for (const row of entries) {
      if (row.kind !== 'model' || row.spec == null) continue
      try {
        const spec = adminModelSchema.parse(JSON.parse(row.spec))
        const { weight, deployments: alternates, ...entry } = spec
        const model = toModelConfig(entry, 0, knownProviders, source)
        models.push(model)
        if (weight != null) weights[model.id] = weight
        if (alternates != null) deployments[model.id] = alternates
      } catch (error) {
        onError(error)
      }
    }
    const everything = buildCatalog({ providers: allProviders, models, aliases: config.aliases })
    const enabledProviders = allProviders.filter((provider) => !disabledProviders.has(provider.id))
    const served = everything.models.filter((model) => !disabledModels.has(model.id) && !disabledProviders.has(model.providerId))
    const servedCatalog = createCatalog({
      models: served,
      aliases: config.aliases,
      providers: enabledProviders.map((provider) => ({ id: provider.id, acceptsUnlistedModels: provider.acceptsUnlistedModels })),
    })
    return {
      providerRegistry: createProviderRegistry(enabledProviders),
      catalog: servedCatalog,
      allModels: everything.models,
      allProviders,
      disabledModels,
      disabledProviders,
      deployments,
      modelRegistry: buildModelRegistry(served, { weights, disabled: new Set(config.routing.disabledModels) }),
    }
  }

  async function reload(): Promise<void> {
    const nextVersion = await store.version()
    if (nextVersion === version) return
    const nextRows = await store.list()
    current = build(nextRows, options.onError)
    providerMap.replace(current.providerRegistry)
    rows = nextRows
    version = nextVersion
    for (const row of nextRows) lastUpdatedAt = Math.max(lastUpdatedAt, row.updatedAt)
  }

  await reload()
  const timer = setInterval(() => {
    reload().catch(options.onError)
  }, options.pollMs)
  timer.unref?.()

  const adminIds = (kind: RegistryEntryRow['kind']) =>
    new Set(rows.filter((row) => row.kind === kind && row.spec != null).map((row) => row.id))
  const yamlModelIds = new Set(config.models.map((model) => model.id))

  return {
    catalog,
    providers: providerMap,
    modelRegistry: () => current.modelRegistry,
    deployments: () => current.deployments,
    rows: () => rows,
    sourceOfModel: (id) => (adminIds('model').has(id) ? 'admin' : yamlModelIds.has(id) ? 'config' : 'builtin'),
    sourceOfProvider: (id) => (adminIds('provider').has(id) ? 'admin' : 'config'),
    isModelDisabled: (id) => current.disabledModels.has(id),
    isProviderDisabled: (id) => current.disabledProviders.has(id),
    allProviders: () => current.allProviders,
    allModels: () => current.allModels,
    async put(row) {
      // Validate by building with the new row first: a bad entry is a 400 and is never stored.
      const candidateRow: RegistryEntryRow = { ...row, updatedAt: Math.max(Math.round(options.now()), lastUpdatedAt + 1) }
      const nextRows = [...rows.filter((existing) => !(existing.kind === row.kind && existing.id === row.id)), candidateRow]
      const failures: unknown[] = []
      build(nextRows, (error) => failures.push(error))
      if (failures.length > 0) throw toBadRequest(failures[0], row.kind)
      await store.put(candidateRow)
      lastUpdatedAt = candidateRow.updatedAt
      version = ''
      await reload()
    },
    refresh: reload,
    stop() {
      clearInterval(timer)
    },
  }
}

function toBadRequest(error: unknown, kind: string): GatewayError {
  if (error instanceof z.ZodError)
    return new GatewayError('invalid_request', `Invalid ${kind}: ${describeZodError(error)}`, { param: kind })
  const message = error instanceof Error ? error.message.replace(`${source}: `, '') : String(error)
  return new GatewayError('invalid_request', `Invalid ${kind}: ${message}`, { param: kind })
}
