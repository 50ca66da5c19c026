// One row per OpenAI-compatible vendor. Adding a vendor is a row here (plus a fixture test when it
// has a quirk), not a new adapter. Env variable names are the vendors' own conventions; only
// config/ reads them.

export type OpenAiCompatibleVendor = {
  id: string
  displayName: string
  defaultBaseUrl: string
  /** Env variable holding the API key; undefined for keyless local servers. */
  apiKeyEnv: string | undefined
  baseUrlEnv: string
  /** How the key is sent. Azure wants `api-key: KEY`; everyone else a Bearer token. */
  authHeader: 'bearer' | 'api-key'
  /** Some vendors reject `stream_options`; they report usage in the last chunk anyway. */
  acceptsStreamOptions: boolean
  /** Vendors that predate `max_completion_tokens` only understand `max_tokens`. */
  acceptsMaxCompletionTokens: boolean
  /** Whether `provider/<any-name>` is accepted even when the catalogue does not list the model. */
  acceptsUnlistedModels: boolean
}

const defaults = {
  authHeader: 'bearer',
  acceptsStreamOptions: true,
  acceptsMaxCompletionTokens: false,
  acceptsUnlistedModels: false,
} as const

export const openAiCompatibleVendors: readonly OpenAiCompatibleVendor[] = [
  {
    ...defaults,
    id: 'openai',
    displayName: 'OpenAI',
    defaultBaseUrl: 'https://api.openai.com/v1',
    apiKeyEnv: 'OPENAI_API_KEY',
    baseUrlEnv: 'OPENAI_BASE_URL',
    acceptsMaxCompletionTokens: true,
    acceptsUnlistedModels: true,
  },
  {
    ...defaults,
    id: 'azure',
    displayName: 'Azure OpenAI',
    // Azure's v1 API: https://<resource>.openai.azure.com/openai/v1, model = deployment name.
    defaultBaseUrl: '',
    apiKeyEnv: 'AZURE_OPENAI_API_KEY',
    baseUrlEnv: 'AZURE_OPENAI_BASE_URL',
    authHeader: 'api-key',
    acceptsMaxCompletionTokens: true,
    acceptsUnlistedModels: true,
  },
  {
    ...defaults,
    id: 'deepseek',
    displayName: 'DeepSeek',
    defaultBaseUrl: 'https://api.deepseek.com/v1',
    apiKeyEnv: 'DEEPSEEK_API_KEY',
    baseUrlEnv: 'DEEPSEEK_BASE_URL',
  },
  {
    ...defaults,
    id: 'mistral',
    displayName: 'Mistral',
    defaultBaseUrl: 'https://api.mistral.ai/v1',
    apiKeyEnv: 'MISTRAL_API_KEY',
    baseUrlEnv: 'MISTRAL_BASE_URL',
    // Mistral rejects unknown request fields such as stream_options, and always sends usage.
    acceptsStreamOptions: false,
  },
  {
    ...defaults,
    id: 'groq',
    displayName: 'Groq',
    defaultBaseUrl: 'https://api.groq.com/openai/v1',
    apiKeyEnv: 'GROQ_API_KEY',
    baseUrlEnv: 'GROQ_BASE_URL',
    acceptsUnlistedModels: true,
  },
  {
    ...defaults,
    id: 'together',
    displayName: 'Together AI',
    defaultBaseUrl: 'https://api.together.xyz/v1',
    apiKeyEnv: 'TOGETHER_API_KEY',
    baseUrlEnv: 'TOGETHER_BASE_URL',
    acceptsUnlistedModels: true,
  },
  {
    ...defaults,
    id: 'fireworks',
    displayName: 'Fireworks AI',
    defaultBaseUrl: 'https://api.fireworks.ai/inference/v1',
    apiKeyEnv: 'FIREWORKS_API_KEY',
    baseUrlEnv: 'FIREWORKS_BASE_URL',
    acceptsUnlistedModels: true,
  },
  {
    ...defaults,
    id: 'xai',
    displayName: 'xAI',
    defaultBaseUrl: 'https://api.x.ai/v1',
    apiKeyEnv: 'XAI_API_KEY',
    baseUrlEnv: 'XAI_BASE_URL',
  },
  {
    ...defaults,
    id: 'openrouter',
    displayName: 'OpenRouter',
    defaultBaseUrl: 'https://openrouter.ai/api/v1',
    apiKeyEnv: 'OPENROUTER_API_KEY',
    baseUrlEnv: 'OPENROUTER_BASE_URL',
    acceptsUnlistedModels: true,
  },
  {
    ...defaults,
    id: 'ollama',
    displayName: 'Ollama',
    // Detected from OLLAMA_HOST (Ollama's own variable); `/v1` is its OpenAI-compatible API.
    defaultBaseUrl: 'http://127.0.0.1:11434/v1',
    apiKeyEnv: undefined,
    baseUrlEnv: 'OLLAMA_HOST',
    acceptsUnlistedModels: true,
  },
]

export const vendorsById: ReadonlyMap<string, OpenAiCompatibleVendor> = new Map(
  openAiCompatibleVendors.map((vendor) => [vendor.id, vendor]),
)
