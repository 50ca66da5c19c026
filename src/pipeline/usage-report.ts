import type { CatalogModel } from '../catalog/catalog-types.ts'
import { computeCostMicros, microsToUsd } from '../catalog/compute-cost.ts'
import type { CompletionUsage } from '../protocol/openai-chat-types.ts'
import type { Usage } from '../providers/provider-adapter.ts'

export type MeteredUsage = { usage: Usage; costMicros: number }

export function meterUsage(usage: Usage, model: CatalogModel): MeteredUsage {
  return { usage, costMicros: computeCostMicros(usage, model.pricing) }
}

/** Our usage in OpenAI's shape, with the details whenever the provider reported them, plus cost. */
export function toOpenAiUsage({ usage, costMicros }: MeteredUsage): CompletionUsage {
  const report: CompletionUsage = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
    prompt_tokens_details: { cached_tokens: usage.cachedInputTokens },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens },
    cost: microsToUsd(costMicros),
  }
  if (usage.cacheWriteTokens > 0)
    report.prompt_tokens_details = { cached_tokens: usage.cachedInputTokens, cache_write_tokens: usage.cacheWriteTokens }
  return report
}

/** When a stream is cut before the provider reports usage: about four characters per token. */
export function estimateTokensFromCharacters(characters: number): number {
  return Math.ceil(characters / 4)
}
