import { formatGoDuration } from './format-go-duration.ts'
import type { KeyRateLimits } from './key-rate-limits.ts'
import { minuteMs, secondMs, type WindowState } from './rate-limiter.ts'

/** Anything with a `header(name, value)` method: Hono's Context itself, or a collector. */
export type HeaderSink = { header(name: string, value: string): unknown }

/**
 * Writes OpenAI's six `x-ratelimit-*` headers. The `requests` trio describes whichever request
 * window (burst per second, or per minute) has fewer requests left, so `remaining` is what the
 * client may send right now; the `tokens` trio describes tokens per minute. A dimension without a
 * limit sends nothing. Writes straight into the sink (the request's Context) so the success path allocates nothing extra.
 */
export function writeRateLimitHeaders(sink: HeaderSink, limits: KeyRateLimits, state: WindowState, now: number): void {
  const burstRemaining = limits.burstRps == null ? Number.POSITIVE_INFINITY : Math.max(0, limits.burstRps - state.burstCount)
  const minuteRemaining =
    limits.requestsPerMinute == null ? Number.POSITIVE_INFINITY : Math.max(0, limits.requestsPerMinute - state.minuteCount)
  const minuteResetMs = minuteMs - (now % minuteMs)
  if (limits.requestsPerMinute != null && minuteRemaining <= burstRemaining) {
    sink.header('x-ratelimit-limit-requests', String(limits.requestsPerMinute))
    sink.header('x-ratelimit-remaining-requests', String(minuteRemaining))
    sink.header('x-ratelimit-reset-requests', formatGoDuration(minuteResetMs))
  } else if (limits.burstRps != null) {
    sink.header('x-ratelimit-limit-requests', String(limits.burstRps))
    sink.header('x-ratelimit-remaining-requests', String(burstRemaining))
    sink.header('x-ratelimit-reset-requests', formatGoDuration(secondMs - (now % secondMs)))
  }
  if (limits.tokensPerMinute != null) {
    sink.header('x-ratelimit-limit-tokens', String(limits.tokensPerMinute))
    sink.header('x-ratelimit-remaining-tokens', String(Math.max(0, limits.tokensPerMinute - state.minuteTokens)))
    sink.header('x-ratelimit-reset-tokens', formatGoDuration(minuteResetMs))
  }
}
