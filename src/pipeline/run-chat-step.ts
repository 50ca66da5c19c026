import { GatewayError, isGatewayError } from '../errors/gateway-error.ts'
import type { ChatCompletion, ChatCompletionChunk, ChatRequest, CompletionUsage } from '../protocol/openai-chat-types.ts'
import { decodeSse } from '../sse/decode-sse.ts'
import type { RequestLogWriter } from '../store/batched-request-log.ts'
import type { RequestLogRow } from '../store/store.ts'
import { buildLogRow } from './build-log-row.ts'
import { handleChatCompletion } from './handle-chat-completion.ts'
import type { PipelineDeps, RequestContext } from './pipeline-types.ts'

export type ChatStepResult =
  | {
      ok: true
      content: string
      id: string
      model: string
      usage: CompletionUsage
      row: RequestLogRow
      headers: Record<string, string>
      /** The whole answer, when the step did not stream. */
      completion?: ChatCompletion
    }
  | { ok: false; error: GatewayError; row: RequestLogRow }

/**
 * One model call made on the gateway's own behalf (a repair round, a plan step), through the same
 * `handleChatCompletion` a client request takes, so routing, failover, metering and whatever else
 * the pipeline grows apply unchanged. The request-log row the pipeline writes is captured instead
 * of recorded: the caller adds what it knows (parent request, step, output excerpt) and records
 * it, or merges several into one. Every call yields exactly one row, failures included.
 * With `onDelta` the call streams and each content piece is handed over as it arrives.
 */
export async function runChatStep(options: {
  request: ChatRequest
  context: RequestContext
  deps: PipelineDeps
  onDelta?: (text: string) => void
}): Promise<ChatStepResult> {
  const { context, deps, onDelta } = options
  const captured: RequestLogRow[] = []
  const capture: RequestLogWriter = { record: (row) => void captured.push(row), flush: async () => {}, close: async () => {} }
  const streaming = onDelta != null
  // The usage chunk is always asked for when streaming: the step's usage must be exact.
  const request: ChatRequest = { ...options.request, stream: streaming }
  delete request.stream_options
  if (streaming) request.stream_options = { include_usage: true }
  try {
    const outcome = await handleChatCompletion(request, context, { ...deps, requestLog: capture })
    if (outcome.kind === 'json') {
      const completion = outcome.body as ChatCompletion
      return {
        ok: true,
        content: completion.choices[0]?.message.content ?? '',
        id: completion.id,
        model: completion.model,
        usage: completion.usage ?? zeroUsage,
        row: takeRow(captured, context),
        headers: outcome.headers,
        completion,
      }
    }
    const read = await readChatStream(outcome.body, onDelta ?? (() => {}))
    const row = takeRow(captured, context)
    if (read.error != null) return { ok: false, error: read.error, row }
    return {
      ok: true,
      content: read.content,
      id: read.id,
      model: read.model,
      usage: read.usage ?? zeroUsage,
      row,
      headers: outcome.headers,
    }
  } catch (thrown) {
    const error = isGatewayError(thrown)
      ? thrown
      : new GatewayError('upstream_error', `The step failed: ${(thrown as Error).message}`, { cause: thrown })
    return {
      ok: false,
      error,
      row: buildLogRow({
        context,
        finishedAt: deps.now(),
        model: request.model === '' ? null : request.model,
        provider: error.providerId ?? null,
        status: error.status,
        errorCode: error.code,
        stream: streaming,
        usage: undefined,
        costMicros: 0,
        ttftMs: null,
      }),
    }
  }
}

const zeroUsage: CompletionUsage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0, cost: 0 }

function takeRow(captured: readonly RequestLogRow[], context: RequestContext): RequestLogRow {
  const row = captured[0]
  if (row == null) throw new GatewayError('internal_error', `The pipeline logged no row for ${context.requestId}.`)
  return row
}

/** Our own SSE output, read back: content pieces, the usage chunk, or the error event. */
async function readChatStream(
  body: ReadableStream<Uint8Array>,
  onDelta: (text: string) => void,
): Promise<{ content: string; id: string; model: string; usage: CompletionUsage | undefined; error: GatewayError | undefined }> {
  let content = ''
  let id = ''
  let model = ''
  let usage: CompletionUsage | undefined
  for await (const event of decodeSse(body)) {
    if (event.data === '[DONE]') break
    const parsed = JSON.parse(event.data) as Partial<ChatCompletionChunk> & { error?: { message?: string; code?: string } }
    if (parsed.error != null) {
      const error = new GatewayError('upstream_error', parsed.error.message ?? 'The provider stream failed.')
      return { content, id, model, usage, error }
    }
    id = parsed.id ?? id
    model = parsed.model ?? model
    if (parsed.usage != null) usage = parsed.usage
    for (const choice of parsed.choices ?? []) {
      const piece = choice.delta.content
      if (piece != null && piece !== '') {
        content += piece
        onDelta(piece)
      }
    }
  }
  return { content, id, model, usage, error: undefined }
}
