import type { RedisClient } from 'bun'
import { concurrencyRetryMs } from './memory-rate-limiter.ts'
import {
  type AdmissionDecision,
  type AdmissionRequest,
  type FinishRequest,
  minuteMs,
  minuteWindowOf,
  type RateLimiter,
  type RefusalReason,
  secondMs,
} from './rate-limiter.ts'
import { createRedisScriptRunner } from '../redis/redis-script-runner.ts'
import { admitScript, finishScript } from './redis-rate-limit-scripts.ts'

/**
 * How long a concurrency slot survives if its process dies without releasing it. A stream that
 * outlives this frees its slot early; a crashed replica's slots come back after it.
 */
export const leaseTtlMs = 15 * 60_000

/** Window keys live a little past their window so a late correction still finds them. */
const windowGraceMs = 5000

/**
 * Limits shared by every replica through Redis: one round trip per admission (an EVALSHA of
 * `admitScript`) and one per finished request that held a slot or has a token correction.
 */
export function createRedisRateLimiter(options: { client: RedisClient; keyPrefix: string }): RateLimiter {
  const { client, keyPrefix } = options
  const runScript = createRedisScriptRunner(client)
  const keyBase = (keyId: string) => `${keyPrefix}rl:{${keyId}}:`

  return {
    backend: 'redis',
    async admit(request: AdmissionRequest): Promise<AdmissionDecision> {
      const { limits, now } = request
      const base = keyBase(request.keyId)
      const second = Math.floor(now / secondMs)
      const minute = minuteWindowOf(now)
      const reply = (await runScript(
        admitScript,
        [`${base}s:${second}`, `${base}m:${minute}`, `${base}t:${minute}`, `${base}c`],
        [
          String(limits.burstRps ?? -1),
          String(limits.requestsPerMinute ?? -1),
          String(limits.tokensPerMinute ?? -1),
          String(limits.maxConcurrent ?? -1),
          String(request.estimatedTokens),
          request.leaseId,
          String(now),
          String(leaseTtlMs),
          String((second + 1) * secondMs - now + windowGraceMs),
          String((minute + 1) * minuteMs - now + windowGraceMs),
        ],
      )) as [number, string, number, number, number, number]
      const state = { burstCount: reply[2], minuteCount: reply[3], minuteTokens: reply[4], inFlight: reply[5] }
      if (reply[0] === 1) return { admitted: true, state }
      const reason = reply[1] as RefusalReason
      return { admitted: false, reason, state, retryAfterMs: retryAfterFor(reason, now, second, minute) }
    },
    async finish(request: FinishRequest): Promise<void> {
      const delta = request.actualTokens == null ? 0 : request.actualTokens - request.estimatedTokens
      if (!request.heldSlot && delta === 0) return
      const base = keyBase(request.keyId)
      await runScript(
        finishScript,
        [`${base}t:${request.minuteWindow}`, `${base}c`],
        [request.leaseId, String(delta), request.heldSlot ? '1' : '0'],
      )
    },
    async close() {
      client.close()
    },
  }
}

function retryAfterFor(reason: RefusalReason, now: number, second: number, minute: number): number {
  if (reason === 'burst') return (second + 1) * secondMs - now
  if (reason === 'requests_per_minute' || reason === 'tokens_per_minute') return (minute + 1) * minuteMs - now
  if (reason === 'concurrency') return concurrencyRetryMs
  return 0
}
