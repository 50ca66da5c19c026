// Partial, nullish zod schemas of what we READ from Anthropic: the Message body, stream events and
// the error body. Unknown fields and block types are tolerated (stripped), because Anthropic adds
// new ones regularly and "handle unknown event types gracefully" is part of its contract.
import { z } from 'zod'

export const anthropicUsageSchema = z.object({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
  output_tokens_details: z.object({ thinking_tokens: z.number().nullish() }).nullish(),
})
export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>

/** One schema for every block type: we branch on `type` and read only the fields that type has. */
export const anthropicContentBlockSchema = z.object({
  type: z.string(),
  text: z.string().nullish(),
  thinking: z.string().nullish(),
  id: z.string().nullish(),
  name: z.string().nullish(),
  input: z.unknown().optional(),
})
export type AnthropicResponseBlock = z.infer<typeof anthropicContentBlockSchema>

export const anthropicMessageSchema = z.object({
  content: z.array(anthropicContentBlockSchema),
  stop_reason: z.string().nullish(),
  usage: anthropicUsageSchema.nullish(),
})

export const anthropicErrorBodySchema = z.object({
  error: z.object({ type: z.string().nullish(), message: z.string().nullish() }),
})

/** Stream events, discriminated by `type`; anything else parses as the catch-all and is ignored. */
export const anthropicStreamEventSchema = z.object({
  type: z.string(),
  index: z.number().nullish(),
  message: z.object({ usage: anthropicUsageSchema.nullish() }).nullish(),
  content_block: anthropicContentBlockSchema.nullish(),
  delta: z
    .object({
      type: z.string().nullish(),
      text: z.string().nullish(),
      partial_json: z.string().nullish(),
      thinking: z.string().nullish(),
      stop_reason: z.string().nullish(),
    })
    .nullish(),
  usage: anthropicUsageSchema.nullish(),
  error: z.object({ type: z.string().nullish(), message: z.string().nullish() }).nullish(),
})
export type AnthropicStreamEvent = z.infer<typeof anthropicStreamEventSchema>
