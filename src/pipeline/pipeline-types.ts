import type { Catalog } from '../catalog/catalog.ts'
import type { UpstreamRequest } from '../providers/provider-adapter.ts'
import type { ProviderRegistry } from '../providers/provider-registry.ts'
import type { RequestLogWriter } from '../store/batched-request-log.ts'

/** The only door to the network; tests and the in-process echo model plug in here. */
export type FetchUpstream = (request: UpstreamRequest, signal: AbortSignal) => Promise<Response>

export type PipelineDeps = {
  catalog: Catalog
  providers: ProviderRegistry
  fetchUpstream: FetchUpstream
  requestLog: RequestLogWriter
  /** Longest wait for an upstream's first byte (headers, then first stream chunk). */
  upstreamTimeoutMs: number
  now: () => number
}

/** What the HTTP layer knows about one request before the pipeline runs. */
export type RequestContext = {
  requestId: string
  keyId: string | null
  endpoint: string
  /** Aborts when the client disconnects. */
  signal: AbortSignal
  startedAt: number
  /** Told once when the request's work is over, with the tokens it used (rate limits release here). */
  onFinish?: FinishListener | undefined
}

/**
 * Called exactly once per committed request: when the JSON answer is metered, or when the stream
 * ends (completed, failed or aborted). Requests that fail before committing are finished by
 * whoever registered the listener.
 */
export type FinishListener = { finish(tokensUsed: number | undefined): void }

export type PipelineOutcome =
  | { kind: 'json'; body: unknown; headers: Record<string, string> }
  | { kind: 'stream'; body: ReadableStream<Uint8Array>; headers: Record<string, string> }
