import type { Capability, ModelKind } from './catalog-types.ts'

// Published list prices in USD per million tokens, checked against the vendors' pricing pages in
// late 2025. switchyard.yaml overrides any of them. Cached input is the cache-read price; cache
// write is Anthropic's 5-minute write price (others bill writes as plain input).
export type BuiltinModel = {
  provider: string
  model: string
  kind?: ModelKind
  context: number
  maxOutput?: number
  /** [input, cached input, output, cache write?] */
  price: readonly [number, number, number, number?]
  capabilities?: readonly Capability[]
}

const chat: readonly Capability[] = ['tools', 'json']
const chatVision: readonly Capability[] = ['tools', 'vision', 'json', 'json_schema']
const reasoning: readonly Capability[] = ['tools', 'vision', 'json', 'json_schema', 'reasoning']

export const builtinModels: readonly BuiltinModel[] = [
  { provider: 'openai', model: 'gpt-4o', context: 128_000, maxOutput: 16_384, price: [2.5, 1.25, 10], capabilities: chatVision },
  { provider: 'openai', model: 'gpt-4o-mini', context: 128_000, maxOutput: 16_384, price: [0.15, 0.075, 0.6], capabilities: chatVision },
  { provider: 'openai', model: 'gpt-4.1', context: 1_047_576, maxOutput: 32_768, price: [2, 0.5, 8], capabilities: chatVision },
  { provider: 'openai', model: 'gpt-4.1-mini', context: 1_047_576, maxOutput: 32_768, price: [0.4, 0.1, 1.6], capabilities: chatVision },
  { provider: 'openai', model: 'gpt-4.1-nano', context: 1_047_576, maxOutput: 32_768, price: [0.1, 0.025, 0.4], capabilities: chatVision },
  { provider: 'openai', model: 'gpt-5', context: 400_000, maxOutput: 128_000, price: [1.25, 0.125, 10], capabilities: reasoning },
  { provider: 'openai', model: 'gpt-5-mini', context: 400_000, maxOutput: 128_000, price: [0.25, 0.025, 2], capabilities: reasoning },
  { provider: 'openai', model: 'gpt-5-nano', context: 400_000, maxOutput: 128_000, price: [0.05, 0.005, 0.4], capabilities: reasoning },
  { provider: 'openai', model: 'o3', context: 200_000, maxOutput: 100_000, price: [2, 0.5, 8], capabilities: reasoning },
  { provider: 'openai', model: 'o4-mini', context: 200_000, maxOutput: 100_000, price: [1.1, 0.275, 4.4], capabilities: reasoning },
  { provider: 'openai', model: 'text-embedding-3-small', kind: 'embeddings', context: 8_191, price: [0.02, 0.02, 0] },
  { provider: 'openai', model: 'text-embedding-3-large', kind: 'embeddings', context: 8_191, price: [0.13, 0.13, 0] },

  {
    provider: 'anthropic',
    model: 'claude-opus-4-1',
    context: 200_000,
    maxOutput: 32_000,
    price: [15, 1.5, 75, 18.75],
    capabilities: reasoning,
  },
  {
    provider: 'anthropic',
    model: 'claude-sonnet-4-5',
    context: 200_000,
    maxOutput: 64_000,
    price: [3, 0.3, 15, 3.75],
    capabilities: reasoning,
  },
  {
    provider: 'anthropic',
    model: 'claude-haiku-4-5',
    context: 200_000,
    maxOutput: 64_000,
    price: [1, 0.1, 5, 1.25],
    capabilities: reasoning,
  },
  {
    provider: 'anthropic',
    model: 'claude-3-5-haiku-latest',
    context: 200_000,
    maxOutput: 8_192,
    price: [0.8, 0.08, 4, 1],
    capabilities: chatVision,
  },

  { provider: 'gemini', model: 'gemini-2.5-pro', context: 1_048_576, maxOutput: 65_536, price: [1.25, 0.125, 10], capabilities: reasoning },
  {
    provider: 'gemini',
    model: 'gemini-2.5-flash',
    context: 1_048_576,
    maxOutput: 65_536,
    price: [0.3, 0.03, 2.5],
    capabilities: reasoning,
  },
  {
    provider: 'gemini',
    model: 'gemini-2.5-flash-lite',
    context: 1_048_576,
    maxOutput: 65_536,
    price: [0.1, 0.01, 0.4],
    capabilities: reasoning,
  },
  { provider: 'gemini', model: 'gemini-embedding-001', kind: 'embeddings', context: 2_048, price: [0.15, 0.15, 0] },

  { provider: 'deepseek', model: 'deepseek-chat', context: 128_000, maxOutput: 8_192, price: [0.28, 0.028, 0.42], capabilities: chat },
  {
    provider: 'deepseek',
    model: 'deepseek-reasoner',
    context: 128_000,
    maxOutput: 64_000,
    price: [0.28, 0.028, 0.42],
    capabilities: ['json', 'reasoning'],
  },

  { provider: 'mistral', model: 'mistral-large-latest', context: 128_000, maxOutput: 32_768, price: [2, 2, 6], capabilities: chatVision },
  {
    provider: 'mistral',
    model: 'mistral-small-latest',
    context: 128_000,
    maxOutput: 32_768,
    price: [0.1, 0.1, 0.3],
    capabilities: chatVision,
  },
  { provider: 'mistral', model: 'mistral-embed', kind: 'embeddings', context: 8_192, price: [0.1, 0.1, 0] },

  {
    provider: 'groq',
    model: 'llama-3.3-70b-versatile',
    context: 131_072,
    maxOutput: 32_768,
    price: [0.59, 0.59, 0.79],
    capabilities: chat,
  },
  { provider: 'groq', model: 'llama-3.1-8b-instant', context: 131_072, maxOutput: 131_072, price: [0.05, 0.05, 0.08], capabilities: chat },

  {
    provider: 'together',
    model: 'meta-llama/Llama-3.3-70B-Instruct-Turbo',
    context: 131_072,
    price: [0.88, 0.88, 0.88],
    capabilities: chat,
  },
  {
    provider: 'fireworks',
    model: 'accounts/fireworks/models/llama-v3p1-8b-instruct',
    context: 131_072,
    price: [0.2, 0.2, 0.2],
    capabilities: chat,
  },

  { provider: 'xai', model: 'grok-4', context: 256_000, maxOutput: 256_000, price: [3, 0.75, 15], capabilities: reasoning },
  {
    provider: 'xai',
    model: 'grok-3-mini',
    context: 131_072,
    maxOutput: 131_072,
    price: [0.3, 0.075, 0.5],
    capabilities: ['tools', 'json', 'reasoning'],
  },

  {
    provider: 'openrouter',
    model: 'openai/gpt-4o-mini',
    context: 128_000,
    maxOutput: 16_384,
    price: [0.15, 0.075, 0.6],
    capabilities: chatVision,
  },
  {
    provider: 'openrouter',
    model: 'anthropic/claude-haiku-4.5',
    context: 200_000,
    maxOutput: 64_000,
    price: [1, 0.1, 5],
    capabilities: reasoning,
  },

  { provider: 'switchyard', model: 'echo-embedding', kind: 'embeddings', context: 1_000_000, price: [0, 0, 0] },
  {
    provider: 'switchyard',
    model: 'echo',
    context: 1_000_000,
    maxOutput: 1_000_000,
    price: [0, 0, 0],
    capabilities: ['tools', 'vision', 'json'],
  },
]
