import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseDocument } from 'yaml'
import type { ZodError } from 'zod'
import { vendorsById } from '../providers/openai-compatible/vendors.ts'
import { agentConfigFrom } from './agent-config.ts'
import { type ConfigFile, configFileSchema, type ModelFileEntry, type ProviderFileEntry } from './config-file-schema.ts'
import type { Config, ModelConfig, ProviderConfig, StripeConfig } from './config-types.ts'
import { detectProviders } from './detect-providers.ts'
import { EnvReferenceError, expandEnvReferences, markPlainReferences } from './expand-env-references.ts'
import { loadReliabilityConfig, ReliabilityConfigError } from './load-reliability-config.ts'
import { parseSecretKey } from '../secrets/secret-box.ts'
import { toRoutingConfig } from './routing-config.ts'

export type ServeFlags = { port?: number; host?: string; config?: string; db?: string; redis?: string }

export class ConfigError extends Error {
  override name = 'ConfigError'
}

type Env = Readonly<Record<string, string | undefined>>

const defaultConfigFile = 'switchyard.yaml'

/** Reads env, flags and the optional YAML file once, at start. Nothing else reads the environment. */
export function loadConfig(options: { env: Env; flags?: ServeFlags; cwd?: string }): Config {
  const { env } = options
  const flags = options.flags ?? {}
  const cwd = options.cwd ?? process.cwd()
  const explicitFile = flags.config ?? present(env.SWITCHYARD_CONFIG)
  const configFile = explicitFile == null ? findDefaultFile(cwd) : resolve(cwd, explicitFile)
  const file = configFile == null ? {} : readConfigFile(configFile, env)

  const providers = mergeProviders(detectProviders(env), file.providers ?? {}, configFile)
  const knownProviders = new Set(providers.map((provider) => provider.id))
  const models = (file.models ?? []).map((entry, index) => toModelConfig(entry, index, knownProviders, configFile))

  const upstreamTimeoutMs =
    integerFrom(env.SWITCHYARD_UPSTREAM_TIMEOUT_MS, 'SWITCHYARD_UPSTREAM_TIMEOUT_MS') ?? file.server?.upstream_timeout_ms ?? 600_000
  return Object.freeze({
    port: flags.port ?? integerFrom(env.SWITCHYARD_PORT, 'SWITCHYARD_PORT') ?? integerFrom(env.PORT, 'PORT') ?? file.server?.port ?? 8080,
    host: flags.host ?? present(env.SWITCHYARD_HOST) ?? file.server?.host ?? '0.0.0.0',
    databaseUrl:
      flags.db ?? present(env.SWITCHYARD_DATABASE_URL) ?? file.database_url ?? `sqlite:${resolve(cwd, '.switchyard/switchyard.db')}`,
    redisUrl: flags.redis ?? present(env.SWITCHYARD_REDIS_URL) ?? file.redis_url,
    adminToken: present(env.SWITCHYARD_ADMIN_TOKEN),
    secretKey: secretKeyFrom(env.SWITCHYARD_SECRET_KEY, 'SWITCHYARD_SECRET_KEY'),
    previousSecretKey: secretKeyFrom(env.SWITCHYARD_SECRET_KEY_PREVIOUS, 'SWITCHYARD_SECRET_KEY_PREVIOUS'),
    bodyLimitBytes: Math.round(
      (numberFrom(env.SWITCHYARD_BODY_LIMIT_MB, 'SWITCHYARD_BODY_LIMIT_MB') ?? file.server?.body_limit_mb ?? 20) * 1024 * 1024,
    ),
    upstreamTimeoutMs,
    holdLeaseMs: holdLeaseFrom(env.SWITCHYARD_HOLD_LEASE_MS),
    configFile,
    providers,
    models,
    aliases: file.aliases ?? {},
    routing: routingConfigFrom(file, configFile),
    logLevel: logLevelFrom(env.SWITCHYARD_LOG_LEVEL),
    outputMaxRepairs: repairRoundsFrom(env.SWITCHYARD_OUTPUT_MAX_REPAIRS),
    defaultRateLimits: {
      burstRps: limitFrom(env.SWITCHYARD_RATE_LIMIT_BURST_RPS, 'SWITCHYARD_RATE_LIMIT_BURST_RPS', file.rate_limits?.burst_rps, 10),
      requestsPerMinute: limitFrom(env.SWITCHYARD_RATE_LIMIT_RPM, 'SWITCHYARD_RATE_LIMIT_RPM', file.rate_limits?.requests_per_minute, null),
      tokensPerMinute: limitFrom(env.SWITCHYARD_RATE_LIMIT_TPM, 'SWITCHYARD_RATE_LIMIT_TPM', file.rate_limits?.tokens_per_minute, null),
      maxConcurrent: limitFrom(
        env.SWITCHYARD_RATE_LIMIT_CONCURRENT,
        'SWITCHYARD_RATE_LIMIT_CONCURRENT',
        file.rate_limits?.max_concurrent,
        null,
      ),
    },
    redisKeyPrefix: env.SWITCHYARD_REDIS_KEY_PREFIX ?? file.redis_key_prefix ?? 'switchyard:',
    stripe: stripeFrom(env, file.topup),
    reliability: readReliability(env, upstreamTimeoutMs),
    agent: agentConfigFrom(env),
    openSignup: present(env.SWITCHYARD_OPEN_SIGNUP) === 'true' || present(env.SWITCHYARD_OPEN_SIGNUP) === '1',
    unpricedModelCeilingMicros: usdToMicrosOrUndefined(
      numberFrom(env.SWITCHYARD_UNPRICED_MODEL_CEILING_USD, 'SWITCHYARD_UNPRICED_MODEL_CEILING_USD'),
    ),
  })
}

/** A rate limit: a positive whole number, or `unlimited` (also `off`, `none`, `0`). */
function limitFrom(value: string | undefined, name: string, fromFile: number | null | undefined, fallback: number | null): number | null {
  const text = present(value)
  if (text == null) return fromFile === undefined ? fallback : fromFile
  if (['unlimited', 'off', 'none', '0'].includes(text.toLowerCase())) return null
  const parsed = Number(text)
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new ConfigError(`${name}: expected a positive whole number or "unlimited", got "${text}"`)
  return parsed
}

function stripeFrom(env: Env, topup: ConfigFile['topup']): StripeConfig | undefined {
  const secretKey = present(env.STRIPE_SECRET_KEY)
  const webhookSecret = present(env.STRIPE_WEBHOOK_SECRET)
  if (secretKey == null && webhookSecret == null) return undefined
  // Never echo the values: they are secrets.
  if (secretKey == null) throw new ConfigError('STRIPE_WEBHOOK_SECRET is set but STRIPE_SECRET_KEY is not; top-ups need both.')
  if (webhookSecret == null) {
    throw new ConfigError('STRIPE_SECRET_KEY is set but STRIPE_WEBHOOK_SECRET is not; without it no payment could be credited.')
  }
  const apiBase = present(env.STRIPE_API_BASE)
  if (apiBase != null && !URL.canParse(apiBase))
    throw new ConfigError(`STRIPE_API_BASE: expected a URL such as http://127.0.0.1:12111, got "${apiBase}"`)
  const minTopupUsd = numberFrom(env.SWITCHYARD_TOPUP_MIN_USD, 'SWITCHYARD_TOPUP_MIN_USD') ?? topup?.min_usd ?? 1
  const maxTopupUsd = numberFrom(env.SWITCHYARD_TOPUP_MAX_USD, 'SWITCHYARD_TOPUP_MAX_USD') ?? topup?.max_usd ?? 10_000
  if (minTopupUsd > maxTopupUsd) throw new ConfigError(`top-up minimum (${minTopupUsd}) is above the maximum (${maxTopupUsd})`)
  return {
    secretKey,
    webhookSecret,
    apiBase,
    successUrl: present(env.SWITCHYARD_TOPUP_SUCCESS_URL) ?? topup?.success_url,
    cancelUrl: present(env.SWITCHYARD_TOPUP_CANCEL_URL) ?? topup?.cancel_url,
    minTopupUsd,
    maxTopupUsd,
  }
}

function readReliability(env: Env, upstreamTimeoutMs: number): Config['reliability'] {
  try {
    return loadReliabilityConfig(env, upstreamTimeoutMs)
  } catch (error) {
    if (error instanceof ReliabilityConfigError) throw new ConfigError(error.message)
    throw error
  }
}

function routingConfigFrom(file: ConfigFile, configFile: string | undefined) {
  try {
    return toRoutingConfig(file.routing, configFile)
  } catch (error) {
    throw new ConfigError((error as Error).message)
  }
}

function findDefaultFile(cwd: string): string | undefined {
  const candidate = resolve(cwd, defaultConfigFile)
  return existsSync(candidate) ? candidate : undefined
}

function readConfigFile(path: string, env: Env): ConfigFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new ConfigError(`${path}: cannot be read (${(error as Error).message})`)
  }
  let raw: unknown
  try {
    const document = parseDocument(text)
    const [firstError] = document.errors
    if (firstError != null) throw firstError
    markPlainReferences(document)
    raw = document.toJS() ?? {}
  } catch (error) {
    throw new ConfigError(`${path}: is not valid YAML: ${(error as Error).message}`)
  }
  let expanded: unknown
  try {
    expanded = expandEnvReferences(raw, env)
  } catch (error) {
    if (error instanceof EnvReferenceError) throw new ConfigError(`${path}: ${error.message}`)
    throw error
  }
  const parsed = configFileSchema.safeParse(expanded)
  if (!parsed.success) throw new ConfigError(`${path}: ${describeZodError(parsed.error)}`)
  return parsed.data
}

export function describeZodError(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(root)'}: ${issue.message}`)
    .join('; ')
}

function mergeProviders(
  detected: ProviderConfig[],
  declared: Record<string, ProviderFileEntry>,
  configFile: string | undefined,
): ProviderConfig[] {
  const providers = new Map(detected.map((provider) => [provider.id, provider]))
  for (const [id, entry] of Object.entries(declared)) {
    providers.set(id, providerFromFile(id, entry, providers.get(id), configFile))
  }
  return [...providers.values()]
}

export function providerFromFile(
  id: string,
  entry: ProviderFileEntry,
  detected: ProviderConfig | undefined,
  configFile: string | undefined,
): ProviderConfig {
  const vendor = vendorsById.get(entry.type)
  const family = vendor != null ? 'openai-compatible' : entry.type
  if (family !== 'openai-compatible' && family !== 'anthropic' && family !== 'gemini') {
    throw new ConfigError(
      `${configFile}: providers.${id}.type: unknown type "${entry.type}" (use openai-compatible, anthropic, gemini or one of ${[...vendorsById.keys()].join(', ')})`,
    )
  }
  const baseUrl = entry.base_url ?? detected?.baseUrl ?? vendor?.defaultBaseUrl
  if (baseUrl == null || baseUrl === '') throw new ConfigError(`${configFile}: providers.${id}.base_url: required for type ${entry.type}`)
  return {
    id,
    family,
    baseUrl: baseUrl.endsWith('/') ? baseUrl.slice(0, -1) : baseUrl,
    apiKey: entry.api_key ?? detected?.apiKey,
    headers: entry.headers ?? {},
    query: entry.query,
    authHeader: vendor?.authHeader ?? 'bearer',
    acceptsStreamOptions: entry.accepts_stream_options ?? vendor?.acceptsStreamOptions ?? true,
    acceptsMaxCompletionTokens: vendor?.acceptsMaxCompletionTokens ?? family !== 'openai-compatible',
    acceptsUnlistedModels: entry.accepts_unlisted_models ?? vendor?.acceptsUnlistedModels ?? true,
  }
}

export function toModelConfig(entry: ModelFileEntry, index: number, providers: Set<string>, configFile: string | undefined): ModelConfig {
  if (!providers.has(entry.provider)) {
    throw new ConfigError(
      `${configFile}: models.${index}.provider: "${entry.provider}" is not configured (known: ${[...providers].join(', ')})`,
    )
  }
  return {
    id: entry.id ?? `${entry.provider}/${entry.model}`,
    provider: entry.provider,
    upstreamModel: entry.model,
    kind: entry.kind,
    contextWindow: entry.context_window,
    maxOutputTokens: entry.max_output_tokens,
    pricingUsdPerMillion:
      entry.pricing == null
        ? undefined
        : {
            input: entry.pricing.input,
            output: entry.pricing.output,
            cachedInput: entry.pricing.cached_input,
            cacheWrite: entry.pricing.cache_write,
          },
    capabilities: entry.capabilities,
    aliases: entry.aliases ?? [],
  }
}

function secretKeyFrom(value: string | undefined, name: string): Uint8Array | undefined {
  const text = present(value)
  if (text == null) return undefined
  try {
    return parseSecretKey(text)
  } catch (error) {
    throw new ConfigError(`${name}: ${(error as Error).message}`)
  }
}

/** At least a second: leases are renewed every quarter of it, and a live process must never look dead. */
function holdLeaseFrom(value: string | undefined): number {
  const leaseMs = integerFrom(value, 'SWITCHYARD_HOLD_LEASE_MS') ?? 60_000
  if (leaseMs < 1_000) throw new ConfigError(`SWITCHYARD_HOLD_LEASE_MS must be at least 1000, not ${leaseMs}.`)
  return leaseMs
}

function present(value: string | undefined): string | undefined {
  return value == null || value.trim() === '' ? undefined : value.trim()
}

function numberFrom(value: string | undefined, name: string): number | undefined {
  const text = present(value)
  if (text == null) return undefined
  const parsed = Number(text)
  if (!Number.isFinite(parsed) || parsed <= 0) throw new ConfigError(`${name}: expected a positive number, got "${text}"`)
  return parsed
}

function integerFrom(value: string | undefined, name: string): number | undefined {
  const parsed = numberFrom(value, name)
  if (parsed != null && !Number.isInteger(parsed)) throw new ConfigError(`${name}: expected a whole number, got "${value}"`)
  return parsed
}

function repairRoundsFrom(value: string | undefined): number {
  const text = present(value)
  if (text == null) return 2
  const rounds = Number(text)
  if (!Number.isInteger(rounds) || rounds < 0 || rounds > 5) {
    throw new ConfigError(`SWITCHYARD_OUTPUT_MAX_REPAIRS: expected a whole number from 0 to 5, got "${text}"`)
  }
  return rounds
}

function logLevelFrom(value: string | undefined): Config['logLevel'] {
  const level = present(value) ?? 'info'
  if (level === 'debug' || level === 'info' || level === 'warn' || level === 'error' || level === 'silent') return level
  throw new ConfigError(`SWITCHYARD_LOG_LEVEL: expected debug, info, warn, error or silent, got "${level}"`)
}

function usdToMicrosOrUndefined(usd: number | undefined): number | undefined {
  return usd == null ? undefined : Math.round(usd * 1_000_000)
}
