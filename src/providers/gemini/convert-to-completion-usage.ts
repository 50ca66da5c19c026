import type { CompletionUsage } from '../../protocol/openai-chat-types.ts'
import type { Usage } from '../provider-adapter.ts'

/** Renders normalised usage in OpenAI's `usage` shape (the breakdowns are subsets, not addends). */
export function convertToCompletionUsage(usage: Usage): CompletionUsage {
  return {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
  }
}
