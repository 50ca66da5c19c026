import type { Capability, ModelKind } from '../catalog/catalog-types.ts'
import type { AgentConfig } from './agent-config.ts'
import type { ReliabilityConfig } from './load-reliability-config.ts'
import type { RoutingConfig } from './routing-config.ts'

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
  /** SWITCHYARD_SECRET_KEY: seals provider credentials at rest (secrets/resolve-secret-box.ts says what happens without it). */
  secretKey: Uint8Array | undefined
  /** SWITCHYARD_SECRET_KEY_PREVIOUS: opens what the previous key sealed, during a rotation. */
  previousSecretKey: Uint8Array | undefined
  /** Set by SWITCHYARD_ADMIN_TOKEN; otherwise one is generated at first start. */
  adminToken: string | undefined
  bodyLimitBytes: number
  upstreamTimeoutMs: number
  /** Shared mode: how long a reservation outlives its process's last lease renewal (SWITCHYARD_HOLD_LEASE_MS). */
  holdLeaseMs: number
  configFile: string | undefined
  providers: readonly ProviderConfig[]
  models: readonly ModelConfig[]
  aliases: Readonly<Record<string, string>>
  /** `routing:` of switchyard.yaml: defaults, auto-router tiers, weights. */
  routing: RoutingConfig
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent'
  /** SWITCHYARD_OPEN_SIGNUP=true: anyone may create a user with POST /api/v1/signup. */
  openSignup: boolean
  /** SWITCHYARD_UNPRICED_MODEL_CEILING_USD: what to hold for a model without a price; unset = refuse such models. */
  unpricedModelCeilingMicros: number | undefined
  /** Device-flow login, discovery and MCP settings (agent-config.ts). */
  agent: AgentConfig
  /** Retries, failover budgets and circuit breakers (docs/reliability.md). */
  reliability: ReliabilityConfig
  /** Default repair rounds for `output_format` json/xml answers (SWITCHYARD_OUTPUT_MAX_REPAIRS). */
  outputMaxRepairs: number
  /** Every key's rate limits until keys carry their own (null = unlimited). */
  defaultRateLimits: {
    burstRps: number | null
    requestsPerMinute: number | null
    tokensPerMinute: number | null
    maxConcurrent: number | null
  }
  /** Prepended to every Redis key the gateway writes, so several gateways (or tests) can share one Redis. */
  redisKeyPrefix: string
  /** Stripe top-ups; undefined when STRIPE_SECRET_KEY is not set. */
  stripe: StripeConfig | undefined
}

export type StripeConfig = {
  secretKey: string
  webhookSecret: string
  /** Where the Stripe SDK sends its calls (a local fake in tests); undefined = api.stripe.com. */
  apiBase: string | undefined
  successUrl: string | undefined
  cancelUrl: string | undefined
  minTopupUsd: number
  maxTopupUsd: number
}
