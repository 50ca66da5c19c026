import type { FinishReason } from '../../protocol/openai-chat-types.ts'

const finishReasonByStopReason: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  // A paused server-tool turn is a normal end from the client's point of view.
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
}

/**
 * Anthropic `stop_reason` → OpenAI `finish_reason`. Strict clients validate the OpenAI enum, so an
 * unknown or missing reason becomes `stop` rather than being passed through.
 */
export function mapAnthropicStopReason(stopReason: string | null | undefined): FinishReason {
  if (stopReason == null) return 'stop'
  return finishReasonByStopReason[stopReason] ?? 'stop'
}
