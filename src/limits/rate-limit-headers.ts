import { formatGoDuration } from './format-go-duration.ts'
import type { KeyRateLimits } from './key-rate-limits.ts'
import { minuteMs, secondMs, type WindowState } from './rate-limiter.ts'

/**
 * Writes OpenAI's six `x-ratelimit-*` headers. The `requests` trio describes whichever request
 * window (burst per second, or per minute) has fewer requests left, so `remaining` is what the
 * client may send right now; the `tokens` trio describes tokens per minute. A dimension without a
 * limit sends nothing. Writes into the response's header object, so the success path allocates nothing extra.
 */
export function writeRateLimitHeaders(headers: Record<string, string>, limits: KeyRateLimits, state: WindowState, now: number): void {
  const burstRemaining = limits.burstRps == null ? Number.POSITIVE_INFINITY : Math.max(0, limits.burstRps - state.burstCount)
  const minuteRemaining =
    limits.requestsPerMinute == null ? Number.POSITIVE_INFINITY : Math.max(0, limits.requestsPerMinute - state.minuteCount)
  const minuteResetMs = minuteMs - (now % minuteMs)
  if (limits.requestsPerMinute != null && minuteRemaining <= burstRemaining) {
    headers['x-ratelimit-limit-requests'] = String(limits.requestsPerMinute)
    headers['x-ratelimit-remaining-requests'] = String(minuteRemaining)
    headers['x-ratelimit-reset-requests'] = formatGoDuration(minuteResetMs)
  } else if (limits.burstRps != null) {
    headers['x-ratelimit-limit-requests'] = String(limits.burstRps)
    headers['x-ratelimit-remaining-requests'] = String(burstRemaining)
    headers['x-ratelimit-reset-requests'] = formatGoDuration(secondMs - (now % secondMs))
  }
  if (limits.tokensPerMinute != null) {
    headers['x-ratelimit-limit-tokens'] = String(limits.tokensPerMinute)
    headers['x-ratelimit-remaining-tokens'] = String(Math.max(0, limits.tokensPerMinute - state.minuteTokens))
    headers['x-ratelimit-reset-tokens'] = formatGoDuration(minuteResetMs)
  }
}
