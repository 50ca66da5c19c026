import type { ChatRequest, JsonObject, ResponseFormat } from '../../protocol/openai-chat-types.ts'
import type { AnthropicRequestBody } from './anthropic-request-types.ts'
import { convertToAnthropicMessages } from './convert-to-anthropic-messages.ts'
import { convertToAnthropicToolChoice, convertToAnthropicTools } from './convert-to-anthropic-tools.ts'

/** Anthropic requires `max_tokens`; this bounds the answer (and the budget reservation) when the client set none. */
export const defaultMaxTokens = 4096

const jsonObjectInstruction = 'Respond with a single valid JSON object only: no prose, no Markdown code fences.'

/**
 * The hub request → Anthropic's Messages body. Only fields listed here are written; any other hub
 * field (seed, n, logprobs, vendor extensions…) is dropped rather than forwarded, because Anthropic
 * answers unknown fields with a 400.
 */
export function convertToAnthropicRequest(request: ChatRequest, upstreamModel: string): AnthropicRequestBody {
  const { system, messages } = convertToAnthropicMessages(request.messages)
  const body: AnthropicRequestBody = {
    model: upstreamModel,
    max_tokens: request.max_completion_tokens ?? request.max_tokens ?? defaultMaxTokens,
    messages,
  }
  const format = convertResponseFormat(request.response_format)
  if (format.instruction != null) system.push({ type: 'text', text: format.instruction })
  if (format.schema != null) body.output_config = { format: { type: 'json_schema', schema: format.schema } }
  if (system.length > 0) body.system = system
  const stopSequences = toStopSequences(request.stop)
  if (stopSequences.length > 0) body.stop_sequences = stopSequences
  // Anthropic's range is 0–1 where OpenAI's is 0–2; clamp rather than let the upstream 400.
  if (request.temperature != null) body.temperature = Math.min(1, Math.max(0, request.temperature))
  if (request.top_p != null) body.top_p = request.top_p
  if (request.tools != null && request.tools.length > 0) {
    body.tools = convertToAnthropicTools(request.tools)
    // tool_choice without tools is a 400 upstream, so it is only sent alongside tools.
    const toolChoice = convertToAnthropicToolChoice(request.tool_choice, request.parallel_tool_calls)
    if (toolChoice != null) body.tool_choice = toolChoice
  }
  if (request.user != null && request.user !== '') body.metadata = { user_id: request.user }
  if (request.stream === true) body.stream = true
  return body
}

/**
 * `json_schema` uses Anthropic's native structured output (`output_config.format`); `json_object`
 * (or a json_schema without a schema) has no native equivalent, so it becomes a system instruction.
 */
function convertResponseFormat(format: ResponseFormat | undefined): {
  schema?: JsonObject
  instruction?: string
} {
  if (format == null || format.type === 'text') return {}
  if (format.type === 'json_schema' && format.json_schema.schema != null) {
    return { schema: format.json_schema.schema }
  }
  return { instruction: jsonObjectInstruction }
}

/** Anthropic rejects stop sequences that are empty or whitespace only. */
function toStopSequences(stop: ChatRequest['stop']): string[] {
  if (stop == null) return []
  const list = typeof stop === 'string' ? [stop] : stop
  return list.filter((sequence) => sequence.trim() !== '')
}
