import type { JsonObject } from '../../protocol/openai-chat-types.ts'

/** Key under which unparseable tool-call arguments are preserved verbatim. */
export const rawArgumentsKey = 'raw_arguments'

/**
 * OpenAI tool-call `arguments` (a JSON string) → the object Anthropic's `tool_use.input` needs.
 *
 * Defined fallback: an empty string becomes `{}` (models emit '' for tools without parameters);
 * anything that is not a JSON object (invalid or truncated JSON, an array, a scalar) becomes
 * `{ raw_arguments: "<the original string>" }`. We neither reject the request (that would make a
 * conversation with one bad historical call impossible to continue) nor drop the text (the model
 * should still see what it said earlier).
 */
export function parseToolCallArguments(argumentsText: string): JsonObject {
  if (argumentsText.trim() === '') return {}
  try {
    const parsed: unknown = JSON.parse(argumentsText)
    if (parsed != null && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as JsonObject
  } catch {
    // Falls through to the defined fallback below.
  }
  return { [rawArgumentsKey]: argumentsText }
}
