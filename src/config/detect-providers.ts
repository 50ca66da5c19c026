import { openAiCompatibleVendors } from '../providers/openai-compatible/vendors.ts'
import type { ProviderConfig } from './config-types.ts'

type Env = Readonly<Record<string, string | undefined>>

/** The in-process echo model's provider; its "upstream" is served inside the gateway. */
export const localProviderBaseUrl = 'http://switchyard.local/v1'

/**
 * Providers from the vendors' own environment variables. A `*_BASE_URL` variable points a provider
 * elsewhere (a proxy, a local server, a test double) and is honoured for every call.
 */
export function detectProviders(env: Env): ProviderConfig[] {
  const providers: ProviderConfig[] = []
  for (const vendor of openAiCompatibleVendors) {
    const apiKey = vendor.apiKeyEnv == null ? undefined : present(env[vendor.apiKeyEnv])
    const baseUrlSetting = present(env[vendor.baseUrlEnv])
    const detected = vendor.apiKeyEnv == null ? baseUrlSetting != null : apiKey != null
    if (!detected) continue
    const baseUrl = vendor.id === 'ollama' ? ollamaBaseUrl(baseUrlSetting) : (baseUrlSetting ?? vendor.defaultBaseUrl)
    if (baseUrl === '') continue
    providers.push({
      id: vendor.id,
      family: 'openai-compatible',
      baseUrl: trimSlash(baseUrl),
      apiKey,
      headers: {},
      query: undefined,
      authHeader: vendor.authHeader,
      acceptsStreamOptions: vendor.acceptsStreamOptions,
      acceptsMaxCompletionTokens: vendor.acceptsMaxCompletionTokens,
      acceptsUnlistedModels: vendor.acceptsUnlistedModels,
    })
  }
  const anthropicKey = present(env.ANTHROPIC_API_KEY)
  if (anthropicKey != null) {
    providers.push(nativeProvider('anthropic', 'anthropic', present(env.ANTHROPIC_BASE_URL) ?? 'https://api.anthropic.com', anthropicKey))
  }
  const geminiKey = present(env.GEMINI_API_KEY) ?? present(env.GOOGLE_API_KEY)
  if (geminiKey != null) {
    providers.push(
      nativeProvider('gemini', 'gemini', present(env.GEMINI_BASE_URL) ?? 'https://generativelanguage.googleapis.com', geminiKey),
    )
  }
  providers.push({ ...nativeProvider('switchyard', 'local', localProviderBaseUrl, undefined), acceptsUnlistedModels: false })
  return providers
}

function nativeProvider(id: string, family: ProviderConfig['family'], baseUrl: string, apiKey: string | undefined): ProviderConfig {
  return {
    id,
    family,
    baseUrl: trimSlash(baseUrl),
    apiKey,
    headers: {},
    query: undefined,
    authHeader: 'bearer',
    acceptsStreamOptions: true,
    acceptsMaxCompletionTokens: true,
    acceptsUnlistedModels: true,
  }
}

/** OLLAMA_HOST may be `host:port` or a URL, without Ollama's `/v1` compatibility prefix. */
function ollamaBaseUrl(setting: string | undefined): string {
  const raw = setting ?? '127.0.0.1:11434'
  const withScheme = /^https?:\/\//.test(raw) ? raw : `http://${raw}`
  const trimmed = trimSlash(withScheme)
  return trimmed.endsWith('/v1') ? trimmed : `${trimmed}/v1`
}

function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url
}

function present(value: string | undefined): string | undefined {
  return value == null || value.trim() === '' ? undefined : value.trim()
}
