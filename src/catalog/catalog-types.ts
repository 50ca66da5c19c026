export type ModelKind = 'chat' | 'embeddings'
export type Capability = 'tools' | 'vision' | 'json' | 'json_schema' | 'reasoning' | 'completions'

/** Prices in integer micro-dollars per million tokens (USD 0.15 / 1M tokens = 150_000). */
export type ModelPricing = {
  inputPerMillion: number
  cachedInputPerMillion: number
  cacheWritePerMillion: number
  outputPerMillion: number
}

export type CatalogModel = {
  /** Public id, `provider/model`. */
  id: string
  providerId: string
  upstreamModel: string
  kind: ModelKind
  contextWindow: number | undefined
  maxOutputTokens: number | undefined
  pricing: ModelPricing | undefined
  capabilities: readonly Capability[]
  aliases: readonly string[]
  /** True when made up on the fly for `provider/<unlisted>`: nothing is known about it. */
  unlisted: boolean
}
