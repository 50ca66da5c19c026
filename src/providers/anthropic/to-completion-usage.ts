import type { CompletionUsage } from '../../protocol/openai-chat-types.ts'
import type { Usage } from '../provider-adapter.ts'

/** Normalised usage → the OpenAI `usage` object; cached and reasoning counts are breakdowns. */
export function toCompletionUsage(usage: Usage): CompletionUsage {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: {
      cached_tokens: usage.cachedInputTokens,
      cache_write_tokens: usage.cacheWriteTokens,
    },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  }
}
