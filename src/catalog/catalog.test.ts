import { describe, expect, test } from 'bun:test'
import { detectProviders } from '../config/detect-providers.ts'
import { buildCatalog } from './build-catalog.ts'
import { computeCostMicros } from './compute-cost.ts'

const catalog = buildCatalog({
  providers: detectProviders({ OPENAI_API_KEY: 'k', OPENROUTER_API_KEY: 'k', ANTHROPIC_API_KEY: 'k' }),
  models: [],
  aliases: { fast: 'openai/gpt-4o-mini' },
})

describe('catalogue resolution', () => {
  test('public ids, aliases and bare names', () => {
    expect(catalog.resolve('openai/gpt-4o-mini')?.id).toBe('openai/gpt-4o-mini')
    expect(catalog.resolve('fast')?.id).toBe('openai/gpt-4o-mini')
    // The native provider wins a bare name over a reseller listing the same model.
    expect(catalog.resolve('gpt-4o-mini')?.providerId).toBe('openai')
    expect(catalog.resolve('openrouter/openai/gpt-4o-mini')?.providerId).toBe('openrouter')
    expect(catalog.resolve('claude-haiku-4-5')?.id).toBe('anthropic/claude-haiku-4-5')
  })

  test('unlisted models only where the provider serves arbitrary names', () => {
    const unlisted = catalog.resolve('openrouter/meta-llama/llama-3.3-70b')
    expect(unlisted).toMatchObject({ providerId: 'openrouter', upstreamModel: 'meta-llama/llama-3.3-70b', unlisted: true, pricing: undefined })
    expect(catalog.resolve('groq/llama')).toBeUndefined()
    expect(catalog.resolve('gpt-9-ultra')).toBeUndefined()
    expect(catalog.resolve('openai/')).toBeUndefined()
  })

  test('suggestions are the closest names', () => {
    expect(catalog.suggest('gpt-4o-mni')[0]).toBe('gpt-4o-mini')
    expect(catalog.suggest('claude-haiku')).toContain('claude-haiku-4-5')
  })
})

describe('computeCostMicros', () => {
  const pricing = { inputPerMillion: 3_000_000, cachedInputPerMillion: 300_000, cacheWritePerMillion: 3_750_000, outputPerMillion: 15_000_000 }

  test('prices each bucket separately and rounds once', () => {
    const usage = { inputTokens: 1_000, cachedInputTokens: 400, cacheWriteTokens: 100, outputTokens: 200, reasoningTokens: 50 }
    // 500 plain × 3 + 400 × 0.3 + 100 × 3.75 + 200 × 15 = 1500 + 120 + 375 + 3000 micro-dollars
    expect(computeCostMicros(usage, pricing)).toBe(4_995)
  })

  test('fractions of a micro-dollar round half up, once', () => {
    const small = { inputPerMillion: 150_000, cachedInputPerMillion: 75_000, cacheWritePerMillion: 150_000, outputPerMillion: 600_000 }
    expect(computeCostMicros({ inputTokens: 3, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 1, reasoningTokens: 0 }, small)).toBe(1)
    expect(computeCostMicros({ inputTokens: 1, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 }, small)).toBe(0)
  })

  test('no price, no cost', () => {
    expect(computeCostMicros({ inputTokens: 10, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 10, reasoningTokens: 0 }, undefined)).toBe(0)
  })
})
