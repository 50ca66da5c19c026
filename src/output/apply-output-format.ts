import type { Capability } from '../catalog/catalog-types.ts'
import type { ChatMessage, ChatRequest } from '../protocol/openai-chat-types.ts'
import { formatInstruction } from './format-instructions.ts'
import type { OutputFormat } from './output-format.ts'

/**
 * The request a model sees for a format: the schema passed natively (`response_format:
 * json_schema`, which the adapters turn into Anthropic's `output_config` and Gemini's
 * `responseSchema`) when the model supports structured output, JSON mode when it has only that,
 * and the instruction in a system message either way. Models the catalogue knows nothing about
 * get the instruction only: an unknown `response_format` is a 400 from some servers. A request
 * that already sets `response_format` keeps it.
 */
export function applyOutputFormat(request: ChatRequest, format: OutputFormat, capabilities: readonly Capability[]): ChatRequest {
  const instruction = formatInstruction(format)
  const messages: ChatMessage[] = instruction == null ? request.messages : [{ role: 'system', content: instruction }, ...request.messages]
  const shaped: ChatRequest = { ...request, messages }
  if (format.maxTokens != null && request.max_tokens == null && request.max_completion_tokens == null) shaped.max_tokens = format.maxTokens
  if (format.type === 'json' && request.response_format == null) {
    if (format.schema != null && capabilities.includes('json_schema')) {
      shaped.response_format = {
        type: 'json_schema',
        json_schema: { name: 'output', schema: format.schema.source as never, strict: false },
      }
    } else if (capabilities.includes('json') || capabilities.includes('json_schema')) {
      shaped.response_format = { type: 'json_object' }
    }
  }
  return shaped
}
