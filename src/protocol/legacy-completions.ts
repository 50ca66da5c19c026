import { z } from 'zod'
import { GatewayError } from '../errors/gateway-error.ts'
import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from './openai-chat-types.ts'
import { validationError } from './validation-error.ts'

// POST /v1/completions is served by translating to chat and back, so every chat model (and every
// provider, including Anthropic and Gemini) answers the legacy API the same way.

const completionsRequestSchema = z.looseObject({
  model: z.string().min(1, 'is required'),
  prompt: z.union([z.string(), z.array(z.string()).length(1, 'only a single prompt is supported')]),
  max_tokens: z.number().int().min(1).max(10_000_000).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  n: z.number().int().min(1).max(128).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  echo: z.boolean().nullish(),
  suffix: z.string().nullish(),
  best_of: z.number().int().nullish(),
})

const passedThrough = [
  'temperature',
  'top_p',
  'n',
  'stop',
  'user',
  'seed',
  'presence_penalty',
  'frequency_penalty',
  'stream_options',
] as const

export function parseCompletionsRequestAsChat(body: unknown): ChatRequest {
  const parsed = completionsRequestSchema.safeParse(body)
  if (!parsed.success) throw validationError(parsed.error)
  const request = parsed.data
  if (request.echo === true) throw new GatewayError('invalid_request', '`echo` is not supported by this gateway.', { param: 'echo' })
  if (request.suffix != null) throw new GatewayError('invalid_request', '`suffix` is not supported by this gateway.', { param: 'suffix' })
  if (request.best_of != null && request.best_of > 1)
    throw new GatewayError('invalid_request', '`best_of` is not supported.', { param: 'best_of' })
  const prompt = typeof request.prompt === 'string' ? request.prompt : (request.prompt[0] ?? '')
  const chat: ChatRequest = { model: request.model, messages: [{ role: 'user', content: prompt }] }
  const extra: Record<string, unknown> = chat
  for (const field of passedThrough) if (request[field] != null) extra[field] = request[field]
  if (request.max_tokens != null) chat.max_tokens = request.max_tokens
  if (request.stream === true) chat.stream = true
  return chat
}

export function chatToTextCompletion(completion: ChatCompletion): Record<string, unknown> {
  return {
    id: completion.id.replace(/^chatcmpl-/, 'cmpl-'),
    object: 'text_completion',
    created: completion.created,
    model: completion.model,
    choices: completion.choices.map((choice) => ({
      index: choice.index,
      text: choice.message.content ?? '',
      logprobs: null,
      finish_reason: choice.finish_reason,
    })),
    usage: completion.usage,
  }
}

export function chatChunkToTextCompletion(chunk: ChatCompletionChunk): Record<string, unknown> {
  return {
    id: chunk.id.replace(/^chatcmpl-/, 'cmpl-'),
    object: 'text_completion',
    created: chunk.created,
    model: chunk.model,
    choices: chunk.choices.map((choice) => ({
      index: choice.index,
      text: choice.delta.content ?? '',
      logprobs: null,
      finish_reason: choice.finish_reason,
    })),
    ...(chunk.usage == null ? {} : { usage: chunk.usage }),
  }
}
