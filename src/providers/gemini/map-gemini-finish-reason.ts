import type { FinishReason } from '../../protocol/openai-chat-types.ts'

// Gemini's safety family: the answer was withheld or cut by a filter.
const contentFilterReasons = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
])

/**
 * Maps a Gemini `finishReason` to OpenAI's closed enum. Gemini says STOP even when it called a
 * function, so the caller tells us whether function calls were present. Everything else
 * (LANGUAGE, OTHER, MALFORMED_FUNCTION_CALL, ...) becomes `stop`, because strict clients reject
 * values outside the enum.
 */
export function mapGeminiFinishReason(reason: string | null | undefined, hasToolCalls: boolean): FinishReason {
  if (reason === 'MAX_TOKENS') return 'length'
  if (reason != null && contentFilterReasons.has(reason)) return 'content_filter'
  return hasToolCalls ? 'tool_calls' : 'stop'
}
