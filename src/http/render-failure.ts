import { HTTPException } from 'hono/http-exception'
import type { Logger } from 'pino'
import { GatewayError, isGatewayError, renderErrorBody } from '../errors/gateway-error.ts'
import { buildLogRow } from '../pipeline/build-log-row.ts'
import { ClientAbortedError } from '../pipeline/send-upstream.ts'
import type { RequestLogWriter } from '../store/batched-request-log.ts'

/** What is known about a request that failed, for its log row. */
export type FailedRequest = { requestId: string; keyId: string | null; path: string; startedAt: number; signal: AbortSignal }

export type Failure = { status: number; body: string; headers: Record<string, string> }

/**
 * Anything thrown while serving a request, as the response the client gets: our error envelope
 * with the error's status and headers. A data-plane (`/v1/`) failure also leaves its request-log
 * row, and an unexpected error is logged with the request id (the client only sees a generic 500).
 */
export function createFailureRenderer(deps: {
  requestLog: RequestLogWriter
  logger: Logger
  now: () => number
}): (thrown: unknown, request: FailedRequest) => Failure {
  return function renderFailure(thrown, request) {
    const error = toGatewayError(thrown)
    if (error.status >= 500 && !isGatewayError(thrown)) deps.logger.error({ err: thrown, requestId: request.requestId }, 'unhandled error')
    const aborted = thrown instanceof ClientAbortedError
    if (request.path.startsWith('/v1/')) {
      deps.requestLog.record(
        buildLogRow({
          context: { requestId: request.requestId, keyId: request.keyId, endpoint: request.path, signal: request.signal, startedAt: request.startedAt },
          finishedAt: deps.now(),
          model: null,
          provider: error.providerId ?? null,
          status: aborted ? 499 : error.status,
          errorCode: aborted ? 'client_aborted' : error.code,
          stream: false,
          usage: undefined,
          costMicros: 0,
          ttftMs: null,
        }),
      )
    }
    const headers: Record<string, string> = { ...error.headers, 'content-type': 'application/json' }
    if (error.retryAfterSeconds != null && error.status === 429) headers['retry-after'] = String(Math.ceil(error.retryAfterSeconds))
    return { status: error.status, body: JSON.stringify(renderErrorBody(error)), headers }
  }
}

function toGatewayError(thrown: unknown): GatewayError {
  if (isGatewayError(thrown)) return thrown
  if (thrown instanceof ClientAbortedError) return new GatewayError('invalid_request', 'The client disconnected.', { status: 499 })
  if (thrown instanceof HTTPException) {
    const code = thrown.status === 413 ? 'request_too_large' : thrown.status === 404 ? 'not_found' : 'invalid_request'
    return new GatewayError(code, thrown.message || 'The request was refused.', { status: thrown.status })
  }
  return new GatewayError('internal_error', 'The gateway hit an unexpected error. It has been logged with this request id.')
}
