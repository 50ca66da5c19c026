import type { Usage } from '../provider-adapter.ts'
import type { AnthropicUsage } from './anthropic-api-schema.ts'

/**
 * Anthropic's `input_tokens` EXCLUDES cache reads and writes; our `Usage.inputTokens` includes
 * them (OpenAI's convention), so the three buckets are summed. Getting this wrong undercounts
 * cached prompts by up to ~1000×.
 */
export function convertAnthropicUsage(usage: AnthropicUsage): Usage {
  const cacheRead = usage.cache_read_input_tokens ?? 0
  const cacheWrite = usage.cache_creation_input_tokens ?? 0
  return {
    inputTokens: (usage.input_tokens ?? 0) + cacheRead + cacheWrite,
    outputTokens: usage.output_tokens ?? 0,
    cachedInputTokens: cacheRead,
    cacheWriteTokens: cacheWrite,
    reasoningTokens: usage.output_tokens_details?.thinking_tokens ?? 0,
  }
}
