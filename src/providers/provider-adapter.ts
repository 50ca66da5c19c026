import type { GatewayError } from '../errors/gateway-error.ts'
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatRequest,
  EmbeddingsRequest,
  EmbeddingsResponse,
  FinishReason,
} from '../protocol/openai-chat-types.ts'

/**
 * Token counts normalised across providers. `inputTokens` INCLUDES cached reads and cache
 * writes (OpenAI's convention); `outputTokens` INCLUDES reasoning tokens.
 */
export type Usage = {
  inputTokens: number
  outputTokens: number
  cachedInputTokens: number
  cacheWriteTokens: number
  reasoningTokens: number
}

/** Where one call goes: a resolved deployment of a model. Built from config, never from env. */
export type DeploymentTarget = {
  providerId: string
  /** The model name the upstream expects (`gpt-4o-mini`, `claude-haiku-4-5`). */
  upstreamModel: string
  baseUrl: string
  apiKey: string | undefined
  /** Extra headers this provider wants on every call (Azure api-version lives in the URL). */
  headers?: Readonly<Record<string, string>>
  /** Query string appended to every URL (Azure's `api-version=...`). */
  query?: string
}

export type UpstreamRequest = {
  url: string
  method: 'POST' | 'GET'
  headers: Record<string, string>
  body: string
}

export type ChatResult = { completion: ChatCompletion; usage: Usage | undefined }

/** One decoded SSE event from the upstream. */
export type UpstreamEvent = { event: string | undefined; data: string }

export type StreamContext = { id: string; created: number; model: string }

export type StreamParser = {
  /** One upstream event in, zero or more OpenAI chunks out. State lives in the closure. */
  onEvent(event: UpstreamEvent): ChatCompletionChunk[]
  /** Called once when the upstream body ends; may flush final chunks. */
  onEnd(): ChatCompletionChunk[]
  /** Latest usage the upstream reported, if any. */
  usage(): Usage | undefined
  /** Finish reason of choice 0 once known. */
  finishReason(): FinishReason | undefined
}

export type UpstreamFailure = {
  status: number
  headers: Headers
  bodyText: string
}

/**
 * A provider adapter is pure: it builds requests and parses responses, and never performs I/O.
 * The pipeline is the only place that talks to the network.
 */
export type ProviderAdapter = {
  readonly family: string
  buildChatRequest(request: ChatRequest, target: DeploymentTarget): UpstreamRequest
  parseChatResponse(body: unknown, context: StreamContext): ChatResult
  createStreamParser(context: StreamContext): StreamParser
  /** Maps a non-2xx upstream answer to our error catalogue. Must never echo the upstream key. */
  parseError(failure: UpstreamFailure, target: DeploymentTarget): GatewayError
  buildEmbeddingsRequest?(request: EmbeddingsRequest, target: DeploymentTarget): UpstreamRequest
  parseEmbeddingsResponse?(body: unknown, model: string): { response: EmbeddingsResponse; usage: Usage }
}

export const emptyUsage: Usage = Object.freeze({
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
  reasoningTokens: 0,
})
