import { z } from 'zod'
import { GatewayError } from '../errors/gateway-error.ts'
import type { ChatRequest } from './openai-chat-types.ts'
import { parseChatRequest } from './parse-chat-request.ts'
import { validationError } from './validation-error.ts'

/**
 * TokenHub's `POST /v1/chat` request (docs/src/user/chat-api.md and handlers_chat.go):
 * `{request: {messages, model_hint, estimated_input_tokens, parameters, stream, meta}, policy:
 * {mode, max_budget_usd, max_latency_ms, min_weight}, output_format}`, turned into our hub chat
 * request plus routing options. `meta` is dropped here, so it can never reach a provider.
 */
export const tokenHubChatSchema = z.looseObject({
  request: z.looseObject({
    messages: z.array(z.unknown()).min(1, 'messages required'),
    model_hint: z.string().nullish(),
    estimated_input_tokens: z.number().int().min(0).max(10_000_000).nullish(),
    parameters: z.record(z.string(), z.unknown()).nullish(),
    stream: z.boolean().nullish(),
    meta: z.unknown().optional(),
  }),
  policy: z
    .looseObject({
      mode: z.string().nullish(),
      // TokenHub's ranges; 0 means "not set", as in TokenHub.
      max_budget_usd: z.number().min(0).max(100).nullish(),
      max_latency_ms: z.number().int().min(0).max(300_000).nullish(),
      min_weight: z.number().min(0).max(10).nullish(),
    })
    .nullish(),
  capabilities: z.unknown().optional(),
  output_format: z.unknown().optional(),
})

const routedModes = ['cheap', 'normal', 'high_confidence', 'planning', 'thompson']
const planModes = ['adversarial', 'vote', 'refine']
/** Parameters that would change what kind of call this is; they come from elsewhere in the body. */
const reservedParameters = new Set(['model', 'models', 'messages', 'stream', 'routing'])

export type TokenHubChat = { chat: ChatRequest; estimatedInputTokens: number | undefined }

export function parseTokenHubChat(body: unknown): TokenHubChat {
  const parsed = tokenHubChatSchema.safeParse(body)
  if (!parsed.success) throw validationError(parsed.error)
  const { request, policy, output_format: outputFormat } = parsed.data
  const parameters = request.parameters ?? {}
  for (const key of Object.keys(parameters)) {
    if (reservedParameters.has(key)) {
      throw new GatewayError('invalid_request', `\`request.parameters.${key}\` is not allowed here; use the request's own field.`, {
        param: `request.parameters.${key}`,
      })
    }
  }
  const mode = policy?.mode ?? undefined
  if (mode != null && mode !== '' && !routedModes.includes(mode)) {
    const hint = planModes.includes(mode) ? ' Multi-model modes are served by POST /v1/plan.' : ''
    throw new GatewayError('invalid_request', `Unknown policy.mode "${mode}". Use one of: ${routedModes.join(', ')}.${hint}`, {
      param: 'policy.mode',
    })
  }
  const routing: Record<string, unknown> = {}
  if (mode != null && mode !== '') routing.policy = mode
  if (policy?.max_budget_usd != null && policy.max_budget_usd > 0) routing.max_budget_usd = policy.max_budget_usd
  if (policy?.max_latency_ms != null && policy.max_latency_ms > 0) routing.max_latency_ms = policy.max_latency_ms
  if (policy?.min_weight != null && policy.min_weight > 0) routing.min_weight = policy.min_weight
  // No hint, or TokenHub's "*" (server chooses): the auto-router.
  const hint = request.model_hint == null || request.model_hint === '' || request.model_hint === '*' ? 'router' : request.model_hint
  const chat = parseChatRequest({
    ...parameters,
    model: hint,
    messages: request.messages,
    ...(request.stream == null ? {} : { stream: request.stream }),
    ...(Object.keys(routing).length === 0 ? {} : { routing }),
    // Output shaping is the output-format layer's; it travels on the hub request untouched and
    // adapters never forward it to a provider.
    ...(outputFormat === undefined ? {} : { output_format: outputFormat }),
  })
  return { chat, estimatedInputTokens: request.estimated_input_tokens ?? undefined }
}

/** TokenHub's response envelope around our OpenAI-shaped completion. */
export function toTokenHubResponse(completion: unknown, headers: Readonly<Record<string, string>>) {
  const cost = headers['x-switchyard-cost-usd']
  return {
    negotiated_model: headers['x-switchyard-model'] ?? null,
    // The real cost from the provider's usage (TokenHub's computeActualCost), not a guess.
    estimated_cost_usd: cost == null ? null : Number(cost),
    routing_reason: headers['x-switchyard-route-reason'] ?? null,
    response: completion,
  }
}
