/**
 * A key's rate limits (seam 1: the accounts branch stores the same shape on each key as
 * `ApiKeyRecord.rateLimits`). `null` means unlimited in that dimension.
 */
export type KeyRateLimits = {
  burstRps: number | null
  requestsPerMinute: number | null
  tokensPerMinute: number | null
  maxConcurrent: number | null
}

/** How the limiter learns a key's limits; the lead plugs accounts' `record.rateLimits` in here. */
export type KeyRateLimitsLookup = (apiKey: { id: string }) => KeyRateLimits

/** Until keys carry their own limits, every key gets the configured defaults (one frozen object). */
export function configuredDefaultLimits(defaults: KeyRateLimits): KeyRateLimitsLookup {
  const frozen = Object.freeze({ ...defaults })
  return () => frozen
}

export function hasAnyLimit(limits: KeyRateLimits): boolean {
  return limits.burstRps != null || limits.requestsPerMinute != null || limits.tokensPerMinute != null || limits.maxConcurrent != null
}
