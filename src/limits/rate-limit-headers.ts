import { formatGoDuration } from './format-go-duration.ts'
import type { KeyRateLimits } from './key-rate-limits.ts'
import { minuteMs, secondMs, type WindowState } from './rate-limiter.ts'

export type SetHeader = (name: string, value: string) => void

/**
 * Writes OpenAI's six `x-ratelimit-*` headers. The `requests` trio describes whichever request
 * window (burst per second, or per minute) has fewer requests left, so `remaining` is what the
 * client may send right now; the `tokens` trio describes tokens per minute. A dimension without a
 * limit sends nothing. Takes a setter so the success path builds no intermediate object.
 */
export function writeRateLimitHeaders(set: SetHeader, limits: KeyRateLimits, state: WindowState, now: number): void {
  const burstRemaining = limits.burstRps == null ? Number.POSITIVE_INFINITY : Math.max(0, limits.burstRps - state.burstCount)
  const minuteRemaining =
    limits.requestsPerMinute == null ? Number.POSITIVE_INFINITY : Math.max(0, limits.requestsPerMinute - state.minuteCount)
  const minuteResetMs = minuteMs - (now % minuteMs)
  if (limits.requestsPerMinute != null && minuteRemaining <= burstRemaining) {
    set('x-ratelimit-limit-requests', String(limits.requestsPerMinute))
    set('x-ratelimit-remaining-requests', String(minuteRemaining))
    set('x-ratelimit-reset-requests', formatGoDuration(minuteResetMs))
  } else if (limits.burstRps != null) {
    set('x-ratelimit-limit-requests', String(limits.burstRps))
    set('x-ratelimit-remaining-requests', String(burstRemaining))
    set('x-ratelimit-reset-requests', formatGoDuration(secondMs - (now % secondMs)))
  }
  if (limits.tokensPerMinute != null) {
    set('x-ratelimit-limit-tokens', String(limits.tokensPerMinute))
    set('x-ratelimit-remaining-tokens', String(Math.max(0, limits.tokensPerMinute - state.minuteTokens)))
    set('x-ratelimit-reset-tokens', formatGoDuration(minuteResetMs))
  }
}
