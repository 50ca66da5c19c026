import type { CatalogModel } from '../catalog/catalog-types.ts'
import { GatewayError } from '../errors/gateway-error.ts'
import type { ChatCompletionChunk, ChatRequest } from '../protocol/openai-chat-types.ts'
import type { ChatResult, StreamContext, StreamParser, UpstreamEvent } from '../providers/provider-adapter.ts'
import { decodeSse } from '../sse/decode-sse.ts'
import type { PipelineDeps, RequestContext } from './pipeline-types.ts'
import { ClientAbortedError, openUpstreamCall, type UpstreamCall } from './send-upstream.ts'

export type CommittedChat =
  | { kind: 'json'; model: CatalogModel; result: ChatResult }
  | {
      kind: 'stream'
      model: CatalogModel
      streamContext: StreamContext
      call: UpstreamCall
      parser: StreamParser
      events: AsyncGenerator<UpstreamEvent>
      firstChunks: ChatCompletionChunk[]
      firstChunkAt: number
    }

/**
 * One try of one model. Resolves only once the answer is committed: the whole JSON body, or a
 * stream's first chunk. Anything that fails before that point throws, so the caller may still move
 * to the next candidate without the client ever seeing a byte of the failed attempt.
 */
export async function attemptChat(options: {
  model: CatalogModel
  request: ChatRequest
  context: RequestContext
  deps: PipelineDeps
}): Promise<CommittedChat> {
  const { model, request, context, deps } = options
  const provider = deps.providers.get(model.providerId)
  if (provider == null) throw new GatewayError('model_not_found', `Provider ${model.providerId} is not configured.`, { param: 'model' })
  const target = provider.targetFor(model.upstreamModel)
  const streamContext: StreamContext = {
    id: `chatcmpl-${context.requestId}`,
    created: Math.floor(context.startedAt / 1000),
    model: model.id,
  }
  // The same steps as sendUpstream, inline: one async frame less on every chat request.
  const upstreamRequest = provider.adapter.buildChatRequest(request, target)
  const call = openUpstreamCall(context.signal, deps.upstreamTimeoutMs)
  try {
    call.response = await deps.fetchUpstream(upstreamRequest, call.signal)
  } catch (error) {
    throw call.failure(error, provider.config.id)
  }
  const { response } = call
  try {
    if (!response.ok) {
      const bodyText = await response.text()
      throw provider.adapter.parseError({ status: response.status, headers: response.headers, bodyText }, target)
    }
    if (request.stream !== true) {
      const body = parseJson(await response.text(), provider.config.id)
      call.complete()
      return { kind: 'json', model, result: provider.adapter.parseChatResponse(body, streamContext) }
    }
    if (response.body == null) throw new GatewayError('upstream_error', `Provider ${provider.config.id} sent an empty stream.`)
    const parser = provider.adapter.createStreamParser(streamContext)
    const events = decodeSse(response.body)
    const firstChunks = await readUntilFirstChunk(events, parser, provider.config.id)
    call.clearDeadline()
    return { kind: 'stream', model, streamContext, call, parser, events, firstChunks, firstChunkAt: deps.now() }
  } catch (error) {
    call.abort()
    if (context.signal.aborted) throw new ClientAbortedError('The client disconnected.')
    if (error instanceof GatewayError) throw error
    throw new GatewayError('upstream_error', `Provider ${provider.config.id} broke off: ${(error as Error).message}`, {
      providerId: provider.config.id,
      cause: error,
    })
  }
}

async function readUntilFirstChunk(
  events: AsyncGenerator<UpstreamEvent>,
  parser: StreamParser,
  providerId: string,
): Promise<ChatCompletionChunk[]> {
  while (true) {
    const next = await events.next()
    if (next.done === true) {
      const last = parser.onEnd()
      if (last.length > 0) return last
      throw new GatewayError('upstream_error', `Provider ${providerId} ended the stream before sending anything.`, { providerId })
    }
    const chunks = parser.onEvent(next.value)
    if (chunks.length > 0) return chunks
  }
}

function parseJson(text: string, providerId: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    throw new GatewayError('upstream_error', `Provider ${providerId} returned a body that is not JSON.`, { providerId })
  }
}
