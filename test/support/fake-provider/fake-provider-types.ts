import type { ScriptedAnswer } from './scripted-answers.ts'

/** The three wire formats the fake provider speaks on one port. */
export type WireFormat = 'openai' | 'anthropic' | 'gemini'

/**
 * A fault injected into the next request (`enqueue`) or every request (`setDefault`).
 * Faults apply to the inference routes only (never to `GET /v1/models`).
 */
export type Fault =
  /**
   * Answer with this status. Without `body`, the format's own error body (a 401 echoes the key it
   * received). A string body is sent verbatim; anything else as JSON.
   */
  | { kind: 'status'; status: number; body?: unknown; headers?: Record<string, string> }
  /** Wait before answering (the request still succeeds); a client abort ends the wait. */
  | { kind: 'delay'; ms: number }
  /** Send `afterChunks` frames, then reset the connection (no `[DONE]`, no final event). */
  | { kind: 'cut'; afterChunks: number }
  /** Never answer; the request ends only when the client aborts or the provider closes. */
  | { kind: 'hang' }
  /** Send `afterChunks` frames, then the format's in-stream error frame, then end the stream. */
  | { kind: 'error-event'; afterChunks: number }

export type StatusFault = Extract<Fault, { kind: 'status' }>

export type RecordedRequest = {
  /** The URL path without the query string (`/v1beta/models/x:streamGenerateContent`). */
  path: string
  /** The query string including `?`, or `''`. */
  search: string
  method: string
  /** Header names lowercased. */
  headers: Record<string, string>
  /** Parsed JSON, the raw text when it is not JSON, or `undefined` when empty. */
  body: unknown
  /** `Date.now()` when the request arrived. */
  receivedAt: number
}

export type FakeProviderOptions = {
  /** Delay between streamed chunks, for every request. Default 0 (no timers on the hot path). */
  chunkDelayMs?: number
  /**
   * How long a `cut` waits after its last frame before resetting the connection. A reset makes
   * the client's kernel drop bytes it has not read yet, so the frames need time to be read.
   */
  cutGraceMs?: number
  /** Keep `requests` (turn off for benchmarks). Default true. */
  recordRequests?: boolean
  /** Ids listed by `GET /v1/models`. */
  models?: readonly string[]
}

export type FakeProviderHandle = {
  /** `http://127.0.0.1:<port>` */
  readonly url: string
  readonly port: number
  /** Every request received, in arrival order. */
  readonly requests: readonly RecordedRequest[]
  /** Requests whose client went away before the reply was complete. */
  readonly aborts: number
  /** Faults for the next requests, consumed first in, first out. */
  enqueue(...faults: Fault[]): void
  /** The fault for every request that finds the queue empty; `undefined` clears it. */
  setDefault(fault: Fault | undefined): void
  /** Clears the queue, the default fault, the recorded requests and the abort count. */
  reset(): void
  /** Resolves once `aborts >= count`; rejects after `timeoutMs` (default 2000). */
  waitForAborts(count: number, timeoutMs?: number): Promise<void>
  /** Scripted answers for one model (fake-provider/scripted-answers.ts); `reset()` clears them. */
  script(model: string, answers: ScriptedAnswer | readonly ScriptedAnswer[]): void
  /** Stops listening and drops open connections. */
  close(): Promise<void>
}

/** What an endpoint answers when no fault interferes. */
export type Reply =
  | { kind: 'json'; status: number; body: unknown; headers: Record<string, string> }
  | { kind: 'sse'; frames: string[]; headers: Record<string, string> }

/** Per-request values an endpoint needs to build its reply. */
export type ReplyContext = {
  /** A per-server sequence number, used in ids (`chatcmpl-fake-3`). */
  sequence: number
  /** Unix seconds. */
  created: number
  /** A scripted answer for this model (see scripted-answers.ts), replacing the echo text. */
  scriptedText?: string
}
