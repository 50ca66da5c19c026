import type { ProviderAdapter } from '../provider-adapter.ts'
import { buildGeminiEmbeddingsRequest } from './build-gemini-embeddings-request.ts'
import { buildGeminiHeaders } from './build-gemini-headers.ts'
import { buildGeminiUrl } from './build-gemini-url.ts'
import { convertGeminiEmbeddingsResponse } from './convert-gemini-embeddings-response.ts'
import { convertGeminiResponse } from './convert-gemini-response.ts'
import { convertToGeminiRequest } from './convert-to-gemini-request.ts'
import { createGeminiStreamParser } from './gemini-stream-parser.ts'
import { parseGeminiError } from './parse-gemini-error.ts'

/** Google Gemini (generativelanguage.googleapis.com, v1beta). Pure: builds and parses only. */
export const geminiAdapter: ProviderAdapter = {
  family: 'gemini',
  buildChatRequest(request, target) {
    // Without `alt=sse` the stream endpoint answers one JSON array, not server-sent events.
    const method = request.stream === true ? 'streamGenerateContent?alt=sse' : 'generateContent'
    return {
      url: buildGeminiUrl(target, method),
      method: 'POST',
      headers: buildGeminiHeaders(target),
      body: JSON.stringify(convertToGeminiRequest(request)),
    }
  },
  parseChatResponse: convertGeminiResponse,
  createStreamParser: createGeminiStreamParser,
  parseError: parseGeminiError,
  buildEmbeddingsRequest: buildGeminiEmbeddingsRequest,
  parseEmbeddingsResponse: convertGeminiEmbeddingsResponse,
}
