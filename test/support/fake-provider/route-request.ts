import { buildAnthropicReply } from './anthropic-wire.ts'
import type { Reply, ReplyContext, WireFormat } from './fake-provider-types.ts'
import { buildGeminiEmbeddingReply, buildGeminiReply } from './gemini-wire.ts'
import { isRecord, type JsonRecord, readString } from './json-value.ts'
import { buildOpenAiChatReply } from './openai-chat-wire.ts'
import { buildModelsReply, buildOpenAiCompletionReply, buildOpenAiEmbeddingsReply } from './openai-extras-wire.ts'

/** One matched route: enough to pick faults before the reply is built. */
export type Endpoint = {
  format: WireFormat
  /** The requested model; faults named in it apply (`fail-500`, `cut-3`, ...). */
  model: string
  /** The reply is SSE, so faults can strike between frames. */
  streamed: boolean
  /** False for `GET /v1/models`, which a gateway may probe at any time. */
  injectsFaults: boolean
  /** Null when the request body is not a JSON object (the caller answers 400). */
  buildReply: ((context: ReplyContext) => Reply) | null
}

const geminiPattern = /^\/v1beta\/models\/([^/:]+):([A-Za-z]+)$/

export function routeRequest(options: {
  method: string
  url: URL
  headers: Headers
  body: unknown
  models: readonly string[]
}): Endpoint | undefined {
  const { method, url, headers, body, models } = options
  const path = url.pathname
  if (method === 'GET' && path === '/v1/models') {
    const anthropicShape = headers.has('anthropic-version') || headers.has('x-api-key')
    return {
      format: anthropicShape ? 'anthropic' : 'openai',
      model: '',
      streamed: false,
      injectsFaults: false,
      buildReply: (context) => buildModelsReply({ models, anthropicShape, context }),
    }
  }
  if (method !== 'POST') return undefined
  const record = isRecord(body) ? body : undefined
  const model = record == null ? '' : (readString(record, 'model') ?? '')
  const streamed = record?.stream === true
  const withBody = (format: WireFormat, build: (json: JsonRecord, context: ReplyContext) => Reply, isStreamed = streamed): Endpoint => ({
    format,
    model,
    streamed: isStreamed,
    injectsFaults: true,
    buildReply: record == null ? null : (context) => build(record, context),
  })
  switch (path) {
    case '/v1/chat/completions':
      return withBody('openai', buildOpenAiChatReply)
    case '/v1/completions':
      return withBody('openai', buildOpenAiCompletionReply)
    case '/v1/embeddings':
      return withBody('openai', buildOpenAiEmbeddingsReply, false)
    case '/v1/messages':
      return withBody('anthropic', buildAnthropicReply)
  }
  const geminiMatch = geminiPattern.exec(path)
  if (geminiMatch == null) return undefined
  const geminiModel = decodeURIComponent(geminiMatch[1] ?? '')
  return routeGemini({ record, model: geminiModel, action: geminiMatch[2] ?? '', url })
}

function routeGemini(options: { record: JsonRecord | undefined; model: string; action: string; url: URL }): Endpoint | undefined {
  const { record, model, action, url } = options
  const sse = url.searchParams.get('alt') === 'sse'
  const endpoint = (streamed: boolean, build: (json: JsonRecord, context: ReplyContext) => Reply): Endpoint => ({
    format: 'gemini',
    model,
    streamed,
    injectsFaults: true,
    buildReply: record == null ? null : (context) => build(record, context),
  })
  switch (action) {
    case 'generateContent':
    case 'streamGenerateContent': {
      const streamed = action === 'streamGenerateContent' && sse
      return endpoint(streamed, (body, context) => buildGeminiReply({ body, model, action, sse, context }))
    }
    case 'batchEmbedContents':
      return endpoint(false, (body) => buildGeminiEmbeddingReply(body, true))
    case 'embedContent':
      return endpoint(false, (body) => buildGeminiEmbeddingReply(body, false))
    default:
      return undefined
  }
}
