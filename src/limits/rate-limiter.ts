import type { KeyRateLimits } from './key-rate-limits.ts'

// The one interface both backends (memory, Redis) implement; rate-limiter-contract.ts holds the
// suite they both pass.
//
// Windows are FIXED and aligned to the epoch (second `floor(now / 1000)`, minute
// `floor(now / 60000)`), so every replica agrees on them and "at most L per window" is exact: each
// window is one counter, checked and incremented atomically. Admission is all-or-nothing: a
// refused request consumes nothing in any dimension.

export type AdmissionRequest = {
  keyId: string
  limits: KeyRateLimits
  /** Tokens charged to the minute's TPM counter now; corrected to the real count at `finish`. */
  estimatedTokens: number
  /** Identifies this request's concurrency slot (the request id). */
  leaseId: string
  now: number
}

/** Counts after admission (or at refusal), for the `x-ratelimit-*` headers. */
export type WindowState = {
  burstCount: number
  minuteCount: number
  minuteTokens: number
  inFlight: number
}

export type RefusalReason = 'burst' | 'requests_per_minute' | 'tokens_per_minute' | 'concurrency' | 'request_too_large'

export type AdmissionDecision =
  | { admitted: true; state: WindowState }
  | { admitted: false; reason: RefusalReason; state: WindowState; retryAfterMs: number }

export type FinishRequest = {
  keyId: string
  leaseId: string
  /** Whether `admit` took a concurrency slot (only when the key has a concurrency limit). */
  heldSlot: boolean
  /** The minute window the estimate was charged to, and the estimate. */
  minuteWindow: number
  estimatedTokens: number
  /** Tokens really used; undefined keeps the estimate. */
  actualTokens: number | undefined
}

export interface RateLimiter {
  readonly backend: 'memory' | 'redis'
  /** The memory backend decides at once (no promise on the hot path); Redis answers later. */
  admit(request: AdmissionRequest): AdmissionDecision | Promise<AdmissionDecision>
  /**
   * Frees the concurrency slot and corrects the token count; call it exactly once per admitted
   * request. Safe after the window moved on (the correction is then dropped).
   */
  finish(request: FinishRequest): Promise<void>
  close(): Promise<void>
}

export const secondMs = 1000
export const minuteMs = 60_000

export function minuteWindowOf(now: number): number {
  return Math.floor(now / minuteMs)
}
