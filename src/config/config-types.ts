import type { Capability, ModelKind } from '../catalog/catalog-types.ts'

export type ProviderFamily = 'openai-compatible' | 'anthropic' | 'gemini' | 'local'

export type ProviderConfig = {
  id: string
  family: ProviderFamily
  baseUrl: string
  apiKey: string | undefined
  headers: Readonly<Record<string, string>>
  query: string | undefined
  authHeader: 'bearer' | 'api-key'
  acceptsStreamOptions: boolean
  acceptsMaxCompletionTokens: boolean
  acceptsUnlistedModels: boolean
}

/** A model declared in switchyard.yaml, prices in USD per million tokens as written. */
export type ModelConfig = {
  id: string
  provider: string
  upstreamModel: string
  kind: ModelKind | undefined
  contextWindow: number | undefined
  maxOutputTokens: number | undefined
  pricingUsdPerMillion: { input: number; output: number; cachedInput: number | undefined; cacheWrite: number | undefined } | undefined
  capabilities: readonly Capability[] | undefined
  aliases: readonly string[]
}

export type Config = {
  port: number
  host: string
  databaseUrl: string
  redisUrl: string | undefined
  /** Set by SWITCHYARD_ADMIN_TOKEN; otherwise one is generated at first start. */
  adminToken: string | undefined
  bodyLimitBytes: number
  upstreamTimeoutMs: number
  configFile: string | undefined
  providers: readonly ProviderConfig[]
  models: readonly ModelConfig[]
  aliases: Readonly<Record<string, string>>
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent'
  /** SWITCHYARD_OPEN_SIGNUP=true: anyone may create a user with POST /api/v1/signup. */
  openSignup: boolean
  /** SWITCHYARD_UNPRICED_MODEL_CEILING_USD: what to hold for a model without a price; unset = refuse such models. */
  unpricedModelCeilingMicros: number | undefined
  /** SWITCHYARD_REDIS_PREFIX: prefix of every Redis key and channel (default `switchyard:`). */
  redisPrefix: string
}
