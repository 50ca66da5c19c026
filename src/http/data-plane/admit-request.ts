import type { Logger } from 'pino'
import { GatewayError } from '../../errors/gateway-error.ts'
import { AdmissionTicket } from '../../limits/admission-ticket.ts'
import { hasAnyLimit, type KeyRateLimits, type KeyRateLimitsLookup } from '../../limits/key-rate-limits.ts'
import { writeRateLimitHeaders } from '../../limits/rate-limit-headers.ts'
import { type AdmissionDecision, minuteWindowOf, type RateLimiter } from '../../limits/rate-limiter.ts'
import type { ApiKeyRecord } from '../../store/store.ts'

/** The body is not parsed yet at admission: about four bytes of JSON per token of input. */
const bytesPerEstimatedToken = 4

/**
 * Decides whether an authenticated request may start. Returns its ticket (undefined for a key with
 * no limits), or throws the 429 (or 503 when Redis is down).
 */
export type Admission = (
  request: { apiKey: ApiKeyRecord; contentLength: string | null; requestId: string },
  /** The response's headers: the `x-ratelimit-*` headers are written here. */
  headers: Record<string, string>,
) => AdmissionTicket | undefined | Promise<AdmissionTicket | undefined>

/**
 * Admission after authentication: burst, per-minute, tokens-per-minute and concurrency limits of
 * the key. Admitted requests carry a ticket the pipeline finishes when the answer (or the stream)
 * ends, which frees the concurrency slot and corrects the token estimate to the real count.
 * Every response, admitted or refused, carries OpenAI's `x-ratelimit-*` headers.
 */
export function createAdmission(options: { limiter: RateLimiter; limitsFor: KeyRateLimitsLookup; now: () => number; logger: Logger }): Admission {
  const { limiter, limitsFor, now, logger } = options
  const onFinishError = (error: unknown) =>
    logger.warn({ err: error }, 'rate limiter could not release a request; its slot expires on its own')

  const unavailable = (error: unknown, requestId: string): never => {
    logger.error({ err: error, requestId }, 'rate limiter unavailable')
    throw new GatewayError('service_unavailable', 'The rate limiter (Redis) did not answer; try again shortly.', { cause: error })
  }
  const conclude = (
    decision: AdmissionDecision,
    apiKey: ApiKeyRecord,
    requestId: string,
    limits: KeyRateLimits,
    estimatedTokens: number,
    at: number,
    headers: Record<string, string>,
  ): AdmissionTicket => {
    if (!decision.admitted) throw refusal(decision, limits, estimatedTokens, at)
    writeRateLimitHeaders(headers, limits, decision.state, at)
    return new AdmissionTicket(
      limiter,
      apiKey.id,
      requestId,
      limits.maxConcurrent != null,
      limits.tokensPerMinute != null,
      minuteWindowOf(at),
      estimatedTokens,
      onFinishError,
    )
  }

  return function admitRequest({ apiKey, contentLength, requestId }, headers) {
    const limits = limitsFor(apiKey)
    // A key without any limit costs nothing here: no counter, no ticket, no headers.
    if (!hasAnyLimit(limits)) return undefined
    const at = now()
    const estimatedTokens = contentLength == null ? 0 : Math.ceil(Number(contentLength) / bytesPerEstimatedToken) || 0
    let decision: AdmissionDecision | Promise<AdmissionDecision>
    try {
      decision = limiter.admit({ keyId: apiKey.id, limits, estimatedTokens, leaseId: requestId, now: at })
    } catch (error) {
      return unavailable(error, requestId)
    }
    // The memory limiter decides at once: no promise, no extra turn of the event loop.
    if (!(decision instanceof Promise)) return conclude(decision, apiKey, requestId, limits, estimatedTokens, at, headers)
    return decision.then(
      (decided) => conclude(decided, apiKey, requestId, limits, estimatedTokens, at, headers),
      (error: unknown) => unavailable(error, requestId),
    )
  }
}

function refusal(
  decision: Extract<AdmissionDecision, { admitted: false }>,
  limits: KeyRateLimits,
  estimatedTokens: number,
  at: number,
): GatewayError {
  const headers: Record<string, string> = {}
  writeRateLimitHeaders(headers, limits, decision.state, at)
  const waitMs = Math.max(1, Math.ceil(decision.retryAfterMs))
  const wait = waitMs < 1000 ? `${waitMs}ms` : `${(waitMs / 1000).toFixed(1)}s`
  const retry = { headers: { ...headers, 'retry-after-ms': String(waitMs) }, retryAfterSeconds: waitMs / 1000 }
  switch (decision.reason) {
    case 'burst':
      return new GatewayError(
        'rate_limit_exceeded',
        `Rate limit reached for this API key: ${limits.burstRps} requests per second. Please try again in ${wait}.`,
        retry,
      )
    case 'requests_per_minute':
      return new GatewayError(
        'rate_limit_exceeded',
        `Rate limit reached for this API key: ${limits.requestsPerMinute} requests per minute. Please try again in ${wait}.`,
        retry,
      )
    case 'tokens_per_minute':
      return new GatewayError(
        'rate_limit_exceeded',
        `Rate limit reached for this API key: ${limits.tokensPerMinute} tokens per minute (used ${decision.state.minuteTokens}, this request is estimated at ${estimatedTokens}). Please try again in ${wait}.`,
        retry,
      )
    case 'concurrency':
      return new GatewayError(
        'concurrency_limit_exceeded',
        `Too many concurrent requests for this API key: at most ${limits.maxConcurrent} may be in flight at once. Please try again when one finishes.`,
        retry,
      )
    case 'request_too_large':
      // No retry can help: the SDKs are told not to, and no Retry-After is sent.
      return new GatewayError(
        'rate_limit_exceeded',
        `This request is estimated at ${estimatedTokens} tokens, more than this API key's limit of ${limits.tokensPerMinute} tokens per minute. Send a smaller request or ask for a higher limit.`,
        { headers: { ...headers, 'x-should-retry': 'false' } },
      )
  }
}
