import type { ChatRequest } from '../../protocol/openai-chat-types.ts'
import type { GeminiGenerationConfig } from './gemini-request-types.ts'
import { mapReasoningEffort } from './map-reasoning-effort.ts'
import { sanitizeGeminiSchema } from './sanitize-gemini-schema.ts'

/** Collects the sampling and output options Gemini keeps in `generationConfig`; undefined if none. */
export function convertToGeminiGenerationConfig(request: ChatRequest): GeminiGenerationConfig | undefined {
  const config: GeminiGenerationConfig = {}
  const maxOutputTokens = request.max_completion_tokens ?? request.max_tokens
  if (maxOutputTokens != null) config.maxOutputTokens = maxOutputTokens
  if (request.temperature != null) config.temperature = request.temperature
  if (request.top_p != null) config.topP = request.top_p
  if (request.stop != null) {
    const stopSequences = typeof request.stop === 'string' ? [request.stop] : request.stop
    if (stopSequences.length > 0) config.stopSequences = stopSequences
  }
  if (request.n != null) config.candidateCount = request.n
  if (request.seed != null) config.seed = request.seed

  const format = request.response_format
  if (format?.type === 'json_object') config.responseMimeType = 'application/json'
  if (format?.type === 'json_schema') {
    config.responseMimeType = 'application/json'
    const schema = format.json_schema.schema
    if (schema != null) config.responseSchema = sanitizeGeminiSchema(schema)
  }

  const thinkingConfig = mapReasoningEffort(request.reasoning_effort)
  if (thinkingConfig != null) config.thinkingConfig = thinkingConfig
  return Object.keys(config).length > 0 ? config : undefined
}
