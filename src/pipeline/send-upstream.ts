import { GatewayError } from '../errors/gateway-error.ts'
import type { UpstreamRequest } from '../providers/provider-adapter.ts'
import { DeadlineSweeper, type Expiring } from './deadline-sweeper.ts'
import type { FetchUpstream } from './pipeline-types.ts'

export class ClientAbortedError extends Error {
  override name = 'ClientAbortedError'
}

/** Every upstream call's first-byte deadline, on one timer (deadline-sweeper.ts). */
const deadlines = new DeadlineSweeper()

/**
 * One upstream request in flight, tied to the client's connection (a client that leaves stops the
 * upstream within a sweeper tick, so nobody pays for tokens no one reads) and to a first-byte
 * deadline. Both are watched by the deadline sweeper until the answer commits; after that a stream
 * stops through its own cancel (client-chat-stream.ts). No listener on the client's signal: adding
 * one cost about a tenth of the hot path's main-thread time (docs/benchmarks.md). A class, so a
 * call allocates no closures.
 */
export class UpstreamCall implements Expiring {
  readonly controller = new AbortController()
  readonly expiresAt: number
  deadlineSlot = -1
  timedOut = false
  private deadlinePending = true
  response: Response = undefined as unknown as Response

  constructor(
    private readonly clientSignal: AbortSignal,
    private readonly timeoutMs: number,
  ) {
    this.expiresAt = deadlines.time() + timeoutMs
    deadlines.add(this)
  }

  isAbandoned(): boolean {
    return this.clientSignal.aborted
  }

  /** The client disconnected before the answer committed. */
  abandon(): void {
    this.deadlinePending = false
    this.controller.abort(new ClientAbortedError('The client disconnected.'))
  }

  /** The first byte did not come in time. */
  expire(): void {
    this.deadlinePending = false
    this.timedOut = true
    this.controller.abort()
  }

  /** The first-byte deadline no longer applies once the call is committed. */
  clearDeadline(): void {
    if (!this.deadlinePending) return
    this.deadlinePending = false
    deadlines.delete(this)
  }

  /** Stops the upstream request (client gone, stream finished early). */
  abort(): void {
    this.clearDeadline()
    this.controller.abort()
  }

  /** The fetch failed: stops the call and says why, as the error to throw. */
  failure(error: unknown, providerId: string): Error {
    this.abort()
    return classifyFetchFailure(error, {
      timedOut: this.timedOut,
      clientAborted: this.clientSignal.aborted,
      providerId,
      timeoutMs: this.timeoutMs,
    })
  }
}

/** Starts the bookkeeping of one upstream call (deadline, client link); throws if the client already left. */
export function openUpstreamCall(clientSignal: AbortSignal, timeoutMs: number): UpstreamCall {
  if (clientSignal.aborted) throw new ClientAbortedError('The client disconnected.')
  return new UpstreamCall(clientSignal, timeoutMs)
}

/**
 * Sends one upstream request (see UpstreamCall). Network failures and timeouts become retryable
 * GatewayErrors.
 */
export async function sendUpstream(options: {
  request: UpstreamRequest
  fetchUpstream: FetchUpstream
  clientSignal: AbortSignal
  timeoutMs: number
  providerId: string
}): Promise<UpstreamCall> {
  const call = openUpstreamCall(options.clientSignal, options.timeoutMs)
  try {
    call.response = await options.fetchUpstream(options.request, call.controller.signal)
    return call
  } catch (error) {
    throw call.failure(error, options.providerId)
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
