import type { ChatRequest } from '../../protocol/openai-chat-types.ts'
import { convertToGeminiContents } from './convert-to-gemini-contents.ts'
import { convertToGeminiGenerationConfig } from './convert-to-gemini-generation-config.ts'
import { convertToGeminiTools } from './convert-to-gemini-tools.ts'
import type { GeminiRequest } from './gemini-request-types.ts'

/**
 * Converts a hub (OpenAI Chat) request to a Gemini `GenerateContentRequest` body. The model and
 * the stream flag live in the URL, not the body.
 */
export function convertToGeminiRequest(request: ChatRequest): GeminiRequest {
  const body: GeminiRequest = { ...convertToGeminiContents(request.messages), ...convertToGeminiTools(request) }
  const generationConfig = convertToGeminiGenerationConfig(request)
  if (generationConfig != null) body.generationConfig = generationConfig
  return body
}
