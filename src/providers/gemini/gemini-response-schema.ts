import { z } from 'zod'

// Lenient schemas for what Gemini answers: every field optional and nullable, unknown fields
// ignored, so a new field upstream never breaks parsing. Only the fields we read are listed.

const geminiPartSchema = z.object({
  text: z.string().nullish(),
  thought: z.boolean().nullish(),
  functionCall: z
    .object({
      name: z.string(),
      args: z.record(z.string(), z.unknown()).nullish(),
    })
    .nullish(),
})

const geminiCandidateSchema = z.object({
  index: z.number().nullish(),
  content: z.object({ parts: z.array(geminiPartSchema).nullish() }).nullish(),
  finishReason: z.string().nullish(),
})

export const geminiUsageMetadataSchema = z.object({
  promptTokenCount: z.number().nullish(),
  cachedContentTokenCount: z.number().nullish(),
  candidatesTokenCount: z.number().nullish(),
  thoughtsTokenCount: z.number().nullish(),
  toolUsePromptTokenCount: z.number().nullish(),
  totalTokenCount: z.number().nullish(),
})

export const geminiErrorSchema = z.object({
  code: z.number().nullish(),
  message: z.string().nullish(),
  status: z.string().nullish(),
  details: z.array(z.object({ reason: z.string().nullish() })).nullish(),
})

export const geminiResponseSchema = z.object({
  candidates: z.array(geminiCandidateSchema).nullish(),
  promptFeedback: z.object({ blockReason: z.string().nullish() }).nullish(),
  usageMetadata: geminiUsageMetadataSchema.nullish(),
  modelVersion: z.string().nullish(),
  responseId: z.string().nullish(),
  error: geminiErrorSchema.nullish(),
})

export type GeminiPartResponse = z.infer<typeof geminiPartSchema>
export type GeminiCandidate = z.infer<typeof geminiCandidateSchema>
export type GeminiUsageMetadata = z.infer<typeof geminiUsageMetadataSchema>
export type GeminiErrorBody = z.infer<typeof geminiErrorSchema>
export type GeminiResponse = z.infer<typeof geminiResponseSchema>
