/**
 * Gemini's generateContent returns function calls without ids, and OpenAI clients need one to
 * answer with a `tool` message. The id is derived from the completion id so it is deterministic
 * for one response yet unique across the turns of a conversation (Anthropic, a possible fallback
 * target, rejects a history with duplicate tool ids).
 */
export function synthesizeToolCallId(options: { completionId: string; choiceIndex: number; callIndex: number }): string {
  const base = options.completionId.replace(/^chatcmpl-/, '')
  return `call_${base}_${options.choiceIndex}_${options.callIndex}`
}
