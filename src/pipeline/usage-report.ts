import type { CatalogModel } from '../catalog/catalog-types.ts'
import { computeCostMicros, microsToUsd } from '../catalog/compute-cost.ts'
import type { CompletionUsage } from '../protocol/openai-chat-types.ts'
import type { Usage } from '../providers/provider-adapter.ts'
import { toCompletionUsage } from '../providers/to-completion-usage.ts'

export type MeteredUsage = { usage: Usage; costMicros: number }

export function meterUsage(usage: Usage, model: CatalogModel): MeteredUsage {
  return { usage, costMicros: computeCostMicros(usage, model.pricing) }
}

/** Our usage in OpenAI's shape, with the cached and reasoning details, plus cost in USD. */
export function toOpenAiUsage({ usage, costMicros }: MeteredUsage): CompletionUsage {
  return { ...toCompletionUsage(usage), cost: microsToUsd(costMicros) }
}

/** When a stream is cut before the provider reports usage: about four characters per token. */
export function estimateTokensFromCharacters(characters: number): number {
  return Math.ceil(characters / 4)
}
