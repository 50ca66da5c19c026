import type { Catalog } from '../catalog/catalog.ts'
import type { CatalogModel } from '../catalog/catalog-types.ts'
import type { ChatRequest, EmbeddingsRequest } from '../protocol/openai-chat-types.ts'
import type { UpstreamRequest } from '../providers/provider-adapter.ts'
import type { ProviderRegistry } from '../providers/provider-registry.ts'
import type { HealthTracker } from '../routing/health/health-tracker.ts'
import type { RequestLogWriter } from '../store/batched-request-log.ts'
import type { ApiKeyRecord } from '../store/store.ts'
import type { ExplanationRecorder } from './record-explanations.ts'
import type { RetrySettings } from './retry-policy.ts'
import type { ChatRouter } from './route-chat-request.ts'

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
  /** Live deployment health (circuit breakers); absent = every request starts from healthy. */
  health?: HealthTracker
  /** Retry and failover budgets; absent = defaultRetrySettings. */
  retry?: RetrySettings
  /** Jitter source, injectable so tests are repeatable; absent = Math.random. */
  random?: () => number
  /** Routing (policies, auto-router, directives); absent = the named models, in order. */
  router?: ChatRouter
  /** Where routing explanations go (seam 7); absent = not recorded. */
  explanations?: ExplanationRecorder
  /** Money admission (accounts): absent = nothing is held or charged. */
  spend?: SpendGate
}

/** Money held for one request: settle charges the real cost (at most the hold), release frees it. */
export type SpendHold = { settle(costMicros: number, note: string): void; release(): void }

/** Holds a request's worst-case cost after routing and before the call; throws 402/403 GatewayErrors. */
export type SpendGate = {
  /** At once (no promise) when memory mode has the user and key loaded; a 402/403 may be thrown directly. */
  reserveChat(request: ChatRequest, candidates: readonly CatalogModel[], context: RequestContext): SpendHold | Promise<SpendHold>
  reserveEmbeddings(request: EmbeddingsRequest, model: CatalogModel, context: RequestContext): Promise<SpendHold>
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
  /** The `x-switchyard-policy` header, if any. */
  policyHeader?: string | undefined
  /** TokenHub's `estimated_input_tokens`, when the client knows better than chars/4. */
  estimatedInputTokens?: number | undefined
  /** The authenticated key, when there is one (its owner pays). */
  apiKey?: ApiKeyRecord
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
