import { GatewayError } from '../errors/gateway-error.ts'
import type { UpstreamRequest } from '../providers/provider-adapter.ts'
import type { FetchUpstream } from './pipeline-types.ts'

export class ClientAbortedError extends Error {
  override name = 'ClientAbortedError'
}

export type UpstreamCall = {
  response: Response
  /** Stops the upstream request (client gone, stream finished early). */
  abort(): void
  /** The first-byte deadline no longer applies once the call is committed. */
  clearDeadline(): void
}

/**
 * Sends one upstream request, tied to the client's connection (a client that leaves stops the
 * upstream at once, so nobody pays for tokens no one reads) and to a first-byte deadline.
 * Network failures and timeouts become retryable GatewayErrors.
 */
export async function sendUpstream(options: {
  request: UpstreamRequest
  fetchUpstream: FetchUpstream
  clientSignal: AbortSignal
  timeoutMs: number
  providerId: string
}): Promise<UpstreamCall> {
  const controller = new AbortController()
  if (options.clientSignal.aborted) throw new ClientAbortedError('The client disconnected.')
  const onClientAbort = () => controller.abort(new ClientAbortedError('The client disconnected.'))
  options.clientSignal.addEventListener('abort', onClientAbort, { once: true })
  let timedOut = false
  let deadline: ReturnType<typeof setTimeout> | undefined = setTimeout(() => {
    timedOut = true
    controller.abort()
  }, options.timeoutMs)
  const clearDeadline = () => {
    if (deadline != null) clearTimeout(deadline)
    deadline = undefined
  }
  const abort = () => {
    clearDeadline()
    options.clientSignal.removeEventListener('abort', onClientAbort)
    controller.abort()
  }
  try {
    const response = await options.fetchUpstream(options.request, controller.signal)
    return { response, abort, clearDeadline }
  } catch (error) {
    abort()
    throw classifyFetchFailure(error, {
      timedOut,
      clientAborted: options.clientSignal.aborted,
      providerId: options.providerId,
      timeoutMs: options.timeoutMs,
    })
  }
}

export function classifyFetchFailure(
  error: unknown,
  state: { timedOut: boolean; clientAborted: boolean; providerId: string; timeoutMs: number },
): Error {
  if (state.clientAborted) return new ClientAbortedError('The client disconnected.')
  if (error instanceof GatewayError) return error
  if (state.timedOut) {
    return new GatewayError('upstream_timeout', `Provider ${state.providerId} did not answer within ${state.timeoutMs} ms.`, {
      providerId: state.providerId,
    })
  }
  return new GatewayError('upstream_unavailable', `Provider ${state.providerId} could not be reached: ${(error as Error).message}`, {
    providerId: state.providerId,
    cause: error,
  })
}
