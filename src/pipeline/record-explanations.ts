import type { RoutingExplanation } from '../routing/routing-explanation.ts'
import type { RoutingStore } from '../store/routing-store.ts'
import type { AttemptRecord } from './attempt-record.ts'

export type ExplanationRecord = RoutingExplanation & {
  /** Failed tries before the answer (resilience may add richer attempt records here). */
  attempts: Array<{ model: string; provider: string; code: string; message: string }>
  /** Every try and skip in order, with status, latency and retry delay (call-with-fallback). */
  calls?: AttemptRecord[]
  answeredBy: string | null
  /** Why the request failed, when no candidate answered. */
  error?: { code: string; message: string }
  /** The API key that made the request: only it may send `/v1/feedback` for it. */
  keyId: string | null
}

export type ExplanationRecorder = {
  record(requestId: string, explanation: ExplanationRecord): void
  /** Waits for writes in flight (at shutdown, before the store closes). */
  close(): Promise<void>
}

/**
 * Writes each request's routing explanation off the request path: the write is started, not
 * awaited, and a failure is logged, never surfaced to the client.
 */
export function createExplanationRecorder(options: {
  store: RoutingStore['explanations']
  now: () => number
  onError: (error: unknown) => void
}): ExplanationRecorder {
  const inFlight = new Set<Promise<void>>()
  return {
    record(requestId, explanation) {
      const write = options.store
        .put(requestId, JSON.stringify(explanation), Math.round(options.now()))
        .catch(options.onError)
        .finally(() => {
          inFlight.delete(write)
        })
      inFlight.add(write)
    },
    async close() {
      await Promise.all([...inFlight])
    },
  }
}
