import { z } from 'zod'
import { acceptPlainChatRequest } from './accept-plain-chat-request.ts'
import type { ChatRequest } from './openai-chat-types.ts'
import { validationError } from './validation-error.ts'

// Only the fields the gateway reads are checked; unknown fields pass through to the provider.
// Limits are generous: they exist to turn nonsense into a clear 400, not to police models.

const maxTokensLimit = 10_000_000

const contentPart = z.looseObject({ type: z.string().min(1) })
const content = z.union([z.string(), z.array(contentPart)])

const message = z.discriminatedUnion('role', [
  z.looseObject({ role: z.literal('system'), content }),
  z.looseObject({ role: z.literal('developer'), content }),
  z.looseObject({ role: z.literal('user'), content }),
  z.looseObject({
    role: z.literal('assistant'),
    content: content.nullish(),
    tool_calls: z
      .array(
        z.looseObject({
          id: z.string(),
          type: z.literal('function'),
          function: z.looseObject({ name: z.string(), arguments: z.string() }),
        }),
      )
      .optional(),
  }),
  z.looseObject({ role: z.literal('tool'), content, tool_call_id: z.string().min(1) }),
])

const tokenCount = z.number().int().min(1).max(maxTokensLimit)

export const chatRequestSchema = z.looseObject({
  model: z.string().default(''),
  models: z.array(z.string().min(1)).max(16).optional(),
  messages: z.array(message).min(1, 'must contain at least one message'),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  max_tokens: tokenCount.nullish(),
  max_completion_tokens: tokenCount.nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  tools: z
    .array(
      z.looseObject({
        type: z.literal('function'),
        function: z.looseObject({ name: z.string().min(1).max(64), parameters: z.looseObject({}).optional() }),
      }),
    )
    .max(128)
    .nullish(),
  tool_choice: z
    .union([
      z.enum(['auto', 'none', 'required']),
      z.looseObject({ type: z.literal('function'), function: z.looseObject({ name: z.string() }) }),
    ])
    .nullish(),
  response_format: z
    .discriminatedUnion('type', [
      z.looseObject({ type: z.literal('text') }),
      z.looseObject({ type: z.literal('json_object') }),
      z.looseObject({
        type: z.literal('json_schema'),
        json_schema: z.looseObject({ name: z.string().min(1), schema: z.looseObject({}).optional() }),
      }),
    ])
    .nullish(),
})

/** Validates an already-parsed JSON body as a chat request; throws a 400 naming the param. */
export function parseChatRequest(body: unknown): ChatRequest {
  const plain = acceptPlainChatRequest(body)
  if (plain != null) return plain
  const parsed = chatRequestSchema.safeParse(body)
  if (!parsed.success) throw validationError(parsed.error)
  const request = parsed.data
  if (request.model === '' && (request.models == null || request.models.length === 0)) {
    throw validationError(new z.ZodError([{ code: 'custom', path: ['model'], message: 'is required', input: undefined }]))
  }
  return stripNulls(request) as ChatRequest
}

/** `null` means "not set" in OpenAI's API; dropping those keys keeps adapters' checks simple. */
function stripNulls(request: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(request)) if (request[key] === null) delete request[key]
  return request
}
