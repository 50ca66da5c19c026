import type { CompletionUsage } from '../protocol/openai-chat-types.ts'
import type { Usage } from './provider-adapter.ts'

/**
 * Normalised usage → OpenAI's `usage` object. Cached and reasoning counts are breakdowns (subsets),
 * not addends; `cache_write_tokens` appears only when the provider bills cache writes.
 */
export function toCompletionUsage(usage: Usage): CompletionUsage {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details:
      usage.cacheWriteTokens > 0
        ? { cached_tokens: usage.cachedInputTokens, cache_write_tokens: usage.cacheWriteTokens }
        : { cached_tokens: usage.cachedInputTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  }
}
