import {
  type AdmissionDecision,
  type AdmissionRequest,
  type FinishRequest,
  minuteMs,
  minuteWindowOf,
  type RateLimiter,
  secondMs,
} from './rate-limiter.ts'

/** One key's counters; created once per key and mutated in place, so admission allocates nothing else. */
type KeyCounters = {
  second: number
  burstCount: number
  minute: number
  minuteCount: number
  minuteTokens: number
  inFlight: number
}

/** Concurrency refusals carry no natural reset; the client is told to try again in this long. */
export const concurrencyRetryMs = 1000

/**
 * Exact limits for one process. Single-threaded JavaScript makes check-then-increment atomic.
 * Keys idle for more than a minute are dropped on a sweep so the map does not grow without end.
 */
export function createMemoryRateLimiter(): RateLimiter {
  const counters = new Map<string, KeyCounters>()
  let lastSweepMinute = 0

  function countersFor(keyId: string, now: number): KeyCounters {
    const minute = minuteWindowOf(now)
    if (minute > lastSweepMinute + 1) sweep(minute)
    let entry = counters.get(keyId)
    if (entry == null) {
      entry = { second: 0, burstCount: 0, minute: 0, minuteCount: 0, minuteTokens: 0, inFlight: 0 }
      counters.set(keyId, entry)
    }
    const second = Math.floor(now / secondMs)
    if (entry.second !== second) {
      entry.second = second
      entry.burstCount = 0
    }
    if (entry.minute !== minute) {
      entry.minute = minute
      entry.minuteCount = 0
      entry.minuteTokens = 0
    }
    return entry
  }

  function sweep(minute: number) {
    lastSweepMinute = minute
    for (const [keyId, entry] of counters) if (entry.inFlight === 0 && entry.minute < minute - 1) counters.delete(keyId)
  }

  function refuse(
    reason: Exclude<AdmissionDecision, { admitted: true }>['reason'],
    entry: KeyCounters,
    retryAfterMs: number,
  ): AdmissionDecision {
    return { admitted: false, reason, retryAfterMs, state: snapshot(entry) }
  }

  return {
    backend: 'memory',
    admit(request: AdmissionRequest): AdmissionDecision {
      const { limits, now } = request
      const entry = countersFor(request.keyId, now)
      if (limits.tokensPerMinute != null && request.estimatedTokens > limits.tokensPerMinute) {
        return refuse('request_too_large', entry, 0)
      }
      if (limits.burstRps != null && entry.burstCount >= limits.burstRps) {
        return refuse('burst', entry, (entry.second + 1) * secondMs - now)
      }
      if (limits.requestsPerMinute != null && entry.minuteCount >= limits.requestsPerMinute) {
        return refuse('requests_per_minute', entry, (entry.minute + 1) * minuteMs - now)
      }
      if (limits.tokensPerMinute != null && entry.minuteTokens + request.estimatedTokens > limits.tokensPerMinute) {
        return refuse('tokens_per_minute', entry, (entry.minute + 1) * minuteMs - now)
      }
      if (limits.maxConcurrent != null && entry.inFlight >= limits.maxConcurrent) {
        return refuse('concurrency', entry, concurrencyRetryMs)
      }
      entry.burstCount++
      entry.minuteCount++
      entry.minuteTokens += request.estimatedTokens
      if (limits.maxConcurrent != null) entry.inFlight++
      return { admitted: true, state: snapshot(entry) }
    },
    async finish(request: FinishRequest): Promise<void> {
      const entry = counters.get(request.keyId)
      if (entry == null) return
      if (request.heldSlot && entry.inFlight > 0) entry.inFlight--
      if (request.actualTokens != null && entry.minute === request.minuteWindow) {
        entry.minuteTokens = Math.max(0, entry.minuteTokens + request.actualTokens - request.estimatedTokens)
      }
    },
    async close() {
      counters.clear()
    },
  }
}

function snapshot(entry: KeyCounters) {
  return { burstCount: entry.burstCount, minuteCount: entry.minuteCount, minuteTokens: entry.minuteTokens, inFlight: entry.inFlight }
}
