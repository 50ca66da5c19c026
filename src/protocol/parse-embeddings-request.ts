import { z } from 'zod'
import type { EmbeddingsRequest } from './openai-chat-types.ts'
import { validationError } from './validation-error.ts'

const input = z.union([
  z.string(),
  z.array(z.string()).min(1, 'must not be empty').max(2048),
  z.array(z.number().int()).min(1, 'must not be empty'),
  z.array(z.array(z.number().int()).min(1)).min(1, 'must not be empty').max(2048),
])

export const embeddingsRequestSchema = z.looseObject({
  model: z.string().min(1, 'is required'),
  input,
  encoding_format: z.enum(['float', 'base64']).optional(),
  dimensions: z.number().int().min(1).max(65_536).optional(),
})

export function parseEmbeddingsRequest(body: unknown): EmbeddingsRequest {
  const parsed = embeddingsRequestSchema.safeParse(body)
  if (!parsed.success) throw validationError(parsed.error)
  return parsed.data as EmbeddingsRequest
}
