import type { GatewayError } from '../errors/gateway-error.ts'

/** How hard one request tries before giving up; one value for the whole process. */
export type RetrySettings = {
  /** Upstream calls one request may make in all, across every candidate. */
  maxAttempts: number
  /** No retry or fallback starts once this long has passed since the request arrived. */
  timeBudgetMs: number
  /** Extra tries on the same deployment after a transient error, before moving to the next candidate. */
  retriesPerDeployment: number
  /** Backoff: the n-th retry waits a uniformly random time in [0, min(maxDelayMs, baseDelayMs × 2^n)]. */
  baseDelayMs: number
  maxDelayMs: number
  /** A `Retry-After` up to this long is waited out on the same deployment; a longer one moves on. */
  retryAfterCapMs: number
}

export const defaultRetrySettings: RetrySettings = {
  maxAttempts: 5,
  timeBudgetMs: 60_000,
  retriesPerDeployment: 1,
  baseDelayMs: 200,
  maxDelayMs: 4_000,
  retryAfterCapMs: 5_000,
}

/** Exponential backoff with full jitter (AWS's "full jitter"): spreads retries so they do not stampede. */
export function backoffDelayMs(
  retryIndex: number,
  settings: Pick<RetrySettings, 'baseDelayMs' | 'maxDelayMs'>,
  random: () => number,
): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** Math.max(0, retryIndex))
  return Math.floor(random() * ceiling)
}

/**
 * What to do after a failed attempt: `retry` the same deployment (after a wait), `move` to the next
 * candidate, `bigger` (move, skipping candidates whose context window is not larger), or `stop`
 * (the request itself is at fault: no other model would do better). `blame` says whether the
 * deployment's health should count it as a failure.
 */
export type FailurePlan = { next: 'retry' | 'move' | 'bigger' | 'stop'; blame: boolean }

export function planAfterFailure(error: GatewayError): FailurePlan {
  switch (error.code) {
    case 'upstream_error':
      return { next: 'retry', blame: true }
    case 'upstream_unavailable':
      return { next: 'retry', blame: true }
    case 'upstream_rate_limited':
      // Not a fault of the deployment's health: it is marked rate limited instead.
      return { next: 'retry', blame: false }
    case 'upstream_timeout':
      // Waiting again on a deployment that just timed out wastes the client's time.
      return { next: 'move', blame: true }
    case 'upstream_auth_failed':
      return { next: 'move', blame: true }
    case 'model_not_found':
      return { next: 'move', blame: false }
    case 'context_length_exceeded':
      return { next: 'bigger', blame: false }
    default:
      return { next: 'stop', blame: false }
  }
}
