import { GatewayError } from '../../errors/gateway-error.ts'
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatRequest,
  EmbeddingsRequest,
  EmbeddingsResponse,
  FinishReason,
} from '../../protocol/openai-chat-types.ts'
import { isRecord } from '../../util/is-record.ts'
import { mapUpstreamError, parseJsonSafely } from '../map-upstream-error.ts'
import type { DeploymentTarget, ProviderAdapter, StreamContext, StreamParser, UpstreamRequest, Usage } from '../provider-adapter.ts'
import { convertOpenAiUsage } from './convert-openai-usage.ts'
import type { OpenAiCompatibleVendor } from './vendors.ts'

type VendorQuirks = Pick<OpenAiCompatibleVendor, 'authHeader' | 'acceptsStreamOptions' | 'acceptsMaxCompletionTokens'>

/** Fields that only mean something to the gateway and must never reach a provider. */
const gatewayOnlyFields = ['models', 'routing', 'output_format', 'metadata_switchyard'] as const

/** One adapter serves every OpenAI-compatible vendor; the vendor's quirks are table data. */
export function createOpenAiCompatibleAdapter(quirks: VendorQuirks): ProviderAdapter {
  // The registry hands out one target object per model (provider-registry.ts), so the headers and
  // the chat URL are built once per target instead of once per request. Nothing mutates them.
  const builtHeaders = new WeakMap<DeploymentTarget, Record<string, string>>()
  const chatUrls = new WeakMap<DeploymentTarget, string>()
  function headersFor(target: DeploymentTarget): Record<string, string> {
    let headers = builtHeaders.get(target)
    if (headers == null) {
      headers = buildHeaders(target)
      builtHeaders.set(target, headers)
    }
    return headers
  }

  function chatUrlFor(target: DeploymentTarget): string {
    let url = chatUrls.get(target)
    if (url == null) {
      url = urlFor(target, '/chat/completions')
      chatUrls.set(target, url)
    }
    return url
  }

  function buildHeaders(target: DeploymentTarget): Record<string, string> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...target.headers }
    if (target.apiKey != null && target.apiKey !== '') {
      if (quirks.authHeader === 'api-key') headers['api-key'] = target.apiKey
      else headers.authorization = `Bearer ${target.apiKey}`
    }
    return headers
  }

  function urlFor(target: DeploymentTarget, path: string): string {
    const base = target.baseUrl.endsWith('/') ? target.baseUrl.slice(0, -1) : target.baseUrl
    return target.query == null ? `${base}${path}` : `${base}${path}?${target.query}`
  }

  return {
    family: 'openai-compatible',

    buildChatRequest(request: ChatRequest, target: DeploymentTarget): UpstreamRequest {
      const body: Record<string, unknown> = { ...request, model: target.upstreamModel }
      // Deleting only what is there keeps the usual body's shape (a delete can make it a slower dictionary object).
      for (const field of gatewayOnlyFields) if (field in body) delete body[field]
      if (request.stream === true) {
        // Always ask for usage so metering is exact; the pipeline strips it if the client did not ask.
        if (quirks.acceptsStreamOptions) body.stream_options = { include_usage: true }
        else delete body.stream_options
      }
      if (!quirks.acceptsMaxCompletionTokens && request.max_completion_tokens != null) {
        body.max_tokens = request.max_completion_tokens
        delete body.max_completion_tokens
      }
      return { url: chatUrlFor(target), method: 'POST', headers: headersFor(target), body: JSON.stringify(body) }
    },

    parseChatResponse(body: unknown, context: StreamContext) {
      const completion = readCompletion(body)
      const usage = completion.usage == null ? undefined : convertOpenAiUsage(completion.usage)
      return {
        completion: { ...completion, id: context.id, created: context.created, model: context.model },
        usage,
      }
    },

    createStreamParser(context: StreamContext): StreamParser {
      let usage: Usage | undefined
      let finishReason: FinishReason | undefined
      return {
        onEvent(event) {
          if (event.data === '[DONE]') return []
          const chunk = parseJsonSafely(event.data)
          if (!isRecord(chunk)) return []
          if (isRecord(chunk.error)) throw streamError(chunk.error)
          const typed = chunk as unknown as ChatCompletionChunk
          if (typed.usage != null) usage = convertOpenAiUsage(typed.usage)
          const choices = Array.isArray(typed.choices) ? typed.choices : []
          if (choices.length === 0) return []
          for (const choice of choices) {
            if (choice.index === 0 && choice.finish_reason != null) finishReason = choice.finish_reason
          }
          return [{ id: context.id, object: 'chat.completion.chunk', created: context.created, model: context.model, choices }]
        },
        onEnd: () => [],
        usage: () => usage,
        finishReason: () => finishReason,
      }
    },

    parseError(failure, target) {
      const parsed = parseJsonSafely(failure.bodyText)
      const message =
        isRecord(parsed) && isRecord(parsed.error) && typeof parsed.error.message === 'string'
          ? parsed.error.message
          : failure.bodyText.slice(0, 500) || undefined
      return mapUpstreamError({ failure, target, upstreamMessage: message })
    },

    buildEmbeddingsRequest(request: EmbeddingsRequest, target: DeploymentTarget): UpstreamRequest {
      const body = { ...request, model: target.upstreamModel }
      return { url: urlFor(target, '/embeddings'), method: 'POST', headers: headersFor(target), body: JSON.stringify(body) }
    },

    parseEmbeddingsResponse(body: unknown, model: string) {
      if (!isRecord(body) || !Array.isArray(body.data)) {
        throw new GatewayError('upstream_error', 'The provider returned an embeddings response without `data`.')
      }
      const response = { ...(body as unknown as EmbeddingsResponse), model }
      const promptTokens = isRecord(body.usage) && typeof body.usage.prompt_tokens === 'number' ? body.usage.prompt_tokens : 0
      return {
        response,
        usage: { inputTokens: promptTokens, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 },
      }
    },
  }
}

function readCompletion(body: unknown): ChatCompletion {
  if (!isRecord(body) || !Array.isArray(body.choices)) {
    throw new GatewayError('upstream_error', 'The provider returned a chat completion without `choices`.')
  }
  return body as unknown as ChatCompletion
}

function streamError(error: Record<string, unknown>): GatewayError {
  const message = typeof error.message === 'string' ? error.message : 'The provider reported an error mid-stream.'
  return new GatewayError('upstream_error', message)
}
