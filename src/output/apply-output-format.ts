import type { ChatMessage, ChatRequest } from '../protocol/openai-chat-types.ts'
import { formatInstruction } from './format-instructions.ts'
import type { OutputFormat } from './output-format.ts'

/**
 * The request a model sees for a format: the schema passed natively (`response_format:
 * json_schema`, which the adapters turn into Anthropic's `output_config` and Gemini's
 * `responseSchema`) when the model supports structured output, and the instruction in a system
 * message either way. A request that already sets `response_format` keeps it.
 */
export function applyOutputFormat(request: ChatRequest, format: OutputFormat, supportsJsonSchema: boolean): ChatRequest {
  const instruction = formatInstruction(format)
  const messages: ChatMessage[] = instruction == null ? request.messages : [{ role: 'system', content: instruction }, ...request.messages]
  const shaped: ChatRequest = { ...request, messages }
  if (format.maxTokens != null && request.max_tokens == null && request.max_completion_tokens == null) shaped.max_tokens = format.maxTokens
  if (format.type === 'json' && request.response_format == null) {
    shaped.response_format =
      format.schema != null && supportsJsonSchema
        ? { type: 'json_schema', json_schema: { name: 'output', schema: format.schema.source as never, strict: false } }
        : { type: 'json_object' }
  }
  return shaped
}
