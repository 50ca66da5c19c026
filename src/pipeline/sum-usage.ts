import { microsToUsd } from '../catalog/compute-cost.ts'
import type { CompletionUsage } from '../protocol/openai-chat-types.ts'

/**
 * Several calls' usage as one: token counts added, cost from the summed integer micro-dollars of
 * the request-log rows (never from summed floats), so the answer's cost equals the rows' sum.
 */
export function sumUsage(usages: readonly CompletionUsage[], costMicros: number): CompletionUsage {
  let cached = 0
  let cacheWrite = 0
  let reasoning = 0
  let prompt = 0
  let completion = 0
  for (const usage of usages) {
    prompt += usage.prompt_tokens
    completion += usage.completion_tokens
    cached += usage.prompt_tokens_details?.cached_tokens ?? 0
    cacheWrite += usage.prompt_tokens_details?.cache_write_tokens ?? 0
    reasoning += usage.completion_tokens_details?.reasoning_tokens ?? 0
  }
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached, ...(cacheWrite > 0 ? { cache_write_tokens: cacheWrite } : {}) },
    completion_tokens_details: { reasoning_tokens: reasoning },
    cost: microsToUsd(costMicros),
  }
}
