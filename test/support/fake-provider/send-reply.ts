import { buildErrorBody, buildErrorFrame, describeStatus } from './error-bodies.ts'
import { type Exchange, pause } from './exchange.ts'
import type { Reply, StatusFault, WireFormat } from './fake-provider-types.ts'
import type { Directives } from './fault-directives.ts'
import { type StreamEnding, streamFrames } from './stream-frames.ts'

/** Answers nobody reads: the client is gone. 499 is nginx's "client closed request". */
const clientGone = (): Response => new Response(null, { status: 499 })

export function buildFailureResponse(options: { format: WireFormat; failure: StatusFault; apiKey: string | undefined }): Response {
  const { format, failure, apiKey } = options
  const { status, body } = failure
  const headers = new Headers(failure.headers)
  if (typeof body === 'string') {
    if (!headers.has('content-type')) headers.set('content-type', 'text/plain; charset=utf-8')
    return new Response(body, { status, headers })
  }
  const json = body ?? buildErrorBody(format, status, describeStatus(status, apiKey))
  return Response.json(json, { status, headers })
}

/**
 * Applies the directives in order (hang, delay, status, then the reply with its stream faults).
 * `holdOpen` parks a hanging request until the client aborts or the provider closes.
 */
export async function sendReply(options: {
  format: WireFormat
  streamed: boolean
  build: () => Reply
  directives: Directives
  exchange: Exchange
  apiKey: string | undefined
  cutGraceMs: number
  holdOpen: (signal: AbortSignal) => Promise<void>
}): Promise<Response> {
  const { format, streamed, build, directives, exchange, apiKey, cutGraceMs, holdOpen } = options
  if (directives.hang) {
    await holdOpen(exchange.signal)
    return clientGone()
  }
  if (directives.delayMs > 0) {
    await pause(directives.delayMs, exchange.signal)
    if (exchange.signal.aborted) return clientGone()
  }
  if (directives.failure != null) {
    exchange.settle()
    return buildFailureResponse({ format, failure: directives.failure, apiKey })
  }
  const { cutAfterChunks, errorAfterChunks } = directives
  if (errorAfterChunks != null && !streamed) {
    // A reply that is not a stream cannot fail half-way; the nearest equivalent is a 500.
    exchange.settle()
    return buildFailureResponse({ format, failure: { kind: 'status', status: 500 }, apiKey })
  }
  const reply = build()
  if (reply.kind === 'json') {
    if (cutAfterChunks == null) {
      exchange.settle()
      return Response.json(reply.body, { status: reply.status, headers: reply.headers })
    }
    // A cut JSON reply: half the body, then a reset connection.
    const text = JSON.stringify(reply.body)
    const body = streamFrames({
      frames: [text.slice(0, Math.floor(text.length / 2))],
      chunkDelayMs: 0,
      ending: { kind: 'cut', graceMs: cutGraceMs },
      exchange,
    })
    return new Response(body, {
      status: reply.status,
      headers: { 'content-type': 'application/json', ...reply.headers },
    })
  }
  const errorFirst = errorAfterChunks != null && (cutAfterChunks == null || errorAfterChunks <= cutAfterChunks)
  const ending: StreamEnding = errorFirst
    ? { kind: 'error-event', frame: buildErrorFrame(format) }
    : cutAfterChunks != null
      ? { kind: 'cut', graceMs: cutGraceMs }
      : { kind: 'complete' }
  const limit = errorFirst ? errorAfterChunks : cutAfterChunks
  const frames = limit == null ? reply.frames : reply.frames.slice(0, limit)
  const body = streamFrames({ frames, chunkDelayMs: directives.chunkDelayMs, ending, exchange })
  return new Response(body, { status: 200, headers: reply.headers })
}
