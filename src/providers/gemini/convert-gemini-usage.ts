import type { Usage } from '../provider-adapter.ts'
import type { GeminiUsageMetadata } from './gemini-response-schema.ts'

/**
 * Normalises Gemini's `usageMetadata`. `promptTokenCount` already includes cached content (our
 * convention too); tool-use prompt tokens are billed as input. `candidatesTokenCount` EXCLUDES
 * thoughts (totalTokenCount = prompt + candidates + toolUsePrompt + thoughts), so thoughts are
 * added to get an output count that includes reasoning.
 */
export function convertGeminiUsage(metadata: GeminiUsageMetadata | null | undefined): Usage | undefined {
  if (metadata == null) return undefined
  const thoughts = metadata.thoughtsTokenCount ?? 0
  return {
    inputTokens: (metadata.promptTokenCount ?? 0) + (metadata.toolUsePromptTokenCount ?? 0),
    outputTokens: (metadata.candidatesTokenCount ?? 0) + thoughts,
    cachedInputTokens: metadata.cachedContentTokenCount ?? 0,
    // Gemini's context caching is created out of band (cachedContents API), never per request.
    cacheWriteTokens: 0,
    reasoningTokens: thoughts,
  }
}
