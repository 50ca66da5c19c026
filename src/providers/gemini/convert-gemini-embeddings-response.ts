import { z } from 'zod'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { EmbeddingsResponse } from '../../protocol/openai-chat-types.ts'
import { emptyUsage, type Usage } from '../provider-adapter.ts'

const batchEmbedResponseSchema = z.object({
  embeddings: z.array(z.object({ values: z.array(z.number()) })),
})

/**
 * Converts a `batchEmbedContents` answer to OpenAI's list shape. Gemini reports no token counts
 * for embeddings, so usage is zero here; the pipeline may substitute its own estimate. Vectors are
 * returned as floats: base64 encoding, if the client asked for it, is not provider-specific.
 */
export function convertGeminiEmbeddingsResponse(body: unknown, model: string): { response: EmbeddingsResponse; usage: Usage } {
  const parsed = batchEmbedResponseSchema.safeParse(body)
  if (!parsed.success) {
    throw new GatewayError('upstream_error', 'Gemini returned an embeddings response the gateway could not read', {
      cause: parsed.error,
    })
  }
  const data = parsed.data.embeddings.map((embedding, index) => ({
    object: 'embedding' as const,
    index,
    embedding: embedding.values,
  }))
  return {
    response: { object: 'list', data, model, usage: { prompt_tokens: 0, total_tokens: 0 } },
    usage: { ...emptyUsage },
  }
}
