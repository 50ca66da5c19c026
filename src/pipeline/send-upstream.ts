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
 * Controllers of calls that completed without an abort, kept for the next calls: making an
 * AbortController (and its signal) cost ~1.5 µs of main-thread CPU per request (docs/benchmarks.md).
 * Bun's fetch lets go of a signal when its request completes, and a call hands its controller back
 * only then, and never touches it again (`controller` is cleared), so one call's abort can never
 * reach another's fetch.
 */
const spareControllers: AbortController[] = []
const maxSpareControllers = 1024

/**
 * One upstream request in flight, tied to the client's connection (a client that leaves stops the
 * upstream within a sweeper tick, so nobody pays for tokens no one reads) and to a first-byte
 * deadline. Both are watched by the deadline sweeper until the answer commits; after that a stream
 * stops through its own cancel (client-chat-stream.ts). No listener on the client's signal: adding
 * one cost about a tenth of the hot path's main-thread time (docs/benchmarks.md). A class, so a
 * call allocates no closures.
 */
export class UpstreamCall implements Expiring {
  /** Undefined once the call is over: after `abort()`, or after `complete()` handed it back. */
  private controller: AbortController | undefined
  /** What this call's fetch listens to (for the fetch only: after `complete()` another call may own it). */
  readonly signal: AbortSignal
  readonly expiresAt: number
  deadlineSlot = -1
  timedOut = false
  private deadlinePending = true
  response: Response = undefined as unknown as Response

  constructor(
    private readonly clientSignal: AbortSignal,
    private readonly timeoutMs: number,
  ) {
    const controller = spareControllers.pop() ?? new AbortController()
    this.controller = controller
    this.signal = controller.signal
    this.expiresAt = deadlines.time() + timeoutMs
    deadlines.add(this)
  }

  isAbandoned(): boolean {
    return this.clientSignal.aborted
  }

  /** The client disconnected before the answer committed. */
  abandon(): void {
    this.deadlinePending = false
    this.controller?.abort(new ClientAbortedError('The client disconnected.'))
  }

  /** The first byte did not come in time. */
  expire(): void {
    this.deadlinePending = false
    this.timedOut = true
    this.controller?.abort()
  }

  /** The first-byte deadline no longer applies once the call is committed. */
  clearDeadline(): void {
    if (!this.deadlinePending) return
    this.deadlinePending = false
    deadlines.delete(this)
  }

  /**
   * The whole response has been read: nothing of this call is in flight any more, so its
   * controller may serve the next call.
   */
  complete(): void {
    this.clearDeadline()
    const controller = this.controller
    this.controller = undefined
    if (controller != null && !controller.signal.aborted && spareControllers.length < maxSpareControllers) {
      spareControllers.push(controller)
    }
  }

  /** Stops the upstream request (client gone, stream finished early). */
  abort(): void {
    this.clearDeadline()
    const controller = this.controller
    this.controller = undefined
    controller?.abort()
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
    call.response = await options.fetchUpstream(options.request, call.signal)
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
