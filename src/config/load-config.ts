import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parse as parseYaml } from 'yaml'
import type { ZodError } from 'zod'
import { vendorsById } from '../providers/openai-compatible/vendors.ts'
import { type ConfigFile, configFileSchema, type ModelFileEntry, type ProviderFileEntry } from './config-file-schema.ts'
import type { Config, ModelConfig, ProviderConfig } from './config-types.ts'
import { detectProviders } from './detect-providers.ts'
import { EnvReferenceError, expandEnvReferences } from './expand-env-references.ts'

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

  return Object.freeze({
    port: flags.port ?? integerFrom(env.SWITCHYARD_PORT, 'SWITCHYARD_PORT') ?? integerFrom(env.PORT, 'PORT') ?? file.server?.port ?? 8080,
    host: flags.host ?? present(env.SWITCHYARD_HOST) ?? file.server?.host ?? '0.0.0.0',
    databaseUrl:
      flags.db ?? present(env.SWITCHYARD_DATABASE_URL) ?? file.database_url ?? `sqlite:${resolve(cwd, '.switchyard/switchyard.db')}`,
    redisUrl: flags.redis ?? present(env.SWITCHYARD_REDIS_URL) ?? file.redis_url,
    adminToken: present(env.SWITCHYARD_ADMIN_TOKEN),
    bodyLimitBytes: Math.round(
      (numberFrom(env.SWITCHYARD_BODY_LIMIT_MB, 'SWITCHYARD_BODY_LIMIT_MB') ?? file.server?.body_limit_mb ?? 20) * 1024 * 1024,
    ),
    upstreamTimeoutMs:
      integerFrom(env.SWITCHYARD_UPSTREAM_TIMEOUT_MS, 'SWITCHYARD_UPSTREAM_TIMEOUT_MS') ?? file.server?.upstream_timeout_ms ?? 600_000,
    configFile,
    providers,
    models,
    aliases: file.aliases ?? {},
    logLevel: logLevelFrom(env.SWITCHYARD_LOG_LEVEL),
    openSignup: present(env.SWITCHYARD_OPEN_SIGNUP) === 'true' || present(env.SWITCHYARD_OPEN_SIGNUP) === '1',
    unpricedModelCeilingMicros: usdToMicrosOrUndefined(
      numberFrom(env.SWITCHYARD_UNPRICED_MODEL_CEILING_USD, 'SWITCHYARD_UNPRICED_MODEL_CEILING_USD'),
    ),
    redisPrefix: present(env.SWITCHYARD_REDIS_PREFIX) ?? 'switchyard:',
  })
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
    raw = parseYaml(text) ?? {}
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

function providerFromFile(
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

function toModelConfig(entry: ModelFileEntry, index: number, providers: Set<string>, configFile: string | undefined): ModelConfig {
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

function logLevelFrom(value: string | undefined): Config['logLevel'] {
  const level = present(value) ?? 'info'
  if (level === 'debug' || level === 'info' || level === 'warn' || level === 'error' || level === 'silent') return level
  throw new ConfigError(`SWITCHYARD_LOG_LEVEL: expected debug, info, warn, error or silent, got "${level}"`)
}

function usdToMicrosOrUndefined(usd: number | undefined): number | undefined {
  return usd == null ? undefined : Math.round(usd * 1_000_000)
}
