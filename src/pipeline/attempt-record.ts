/**
 * One try (or deliberate skip) of one deployment within a request, for the per-request explanation
 * (`GET /api/v1/requests/{id}`) and the `x-switchyard-attempts` header.
 */
export type AttemptRecord = {
  model: string
  provider: string
  deploymentId: string
  outcome: 'success' | 'error' | 'skipped'
  /** The error code (`upstream_error`...) or why it was skipped: `circuit_open`, `rate_limited`, `context_too_small`. */
  code: string | null
  /** The provider's HTTP status, when it answered with one. */
  upstreamStatus: number | null
  /** From sending the request to the answer being committed or failing; 0 for a skip. */
  latencyMs: number
  /** How long we waited before this attempt (backoff or Retry-After). */
  retryDelayMs: number
  /** Admitted as the one probe of a half-open circuit. */
  probe: boolean
}

const maxEntries = 12

/**
 * `primary/m upstream_error 500 12ms; primary/m upstream_error 500 9ms after 150ms; backup/m ok 20ms`:
 * short, ASCII, at most twelve entries (the rest counted), so it is safe as a header value.
 */
export function summarizeAttempts(attempts: readonly AttemptRecord[]): string {
  const [only] = attempts
  // The common case, one try that answered at once: no array, no join, no scan for odd characters.
  if (
    attempts.length === 1 &&
    only != null &&
    only.outcome === 'success' &&
    !only.probe &&
    only.retryDelayMs <= 0 &&
    isPrintableAscii(only.model)
  ) {
    return `${only.model} ok ${Math.round(only.latencyMs)}ms`
  }
  const parts = attempts.slice(0, maxEntries).map((attempt) => {
    const what =
      attempt.outcome === 'success' ? 'ok' : attempt.outcome === 'skipped' ? `skipped ${attempt.code}` : (attempt.code ?? 'error')
    const status = attempt.upstreamStatus == null ? '' : ` ${attempt.upstreamStatus}`
    const latency = attempt.outcome === 'skipped' ? '' : ` ${Math.round(attempt.latencyMs)}ms`
    const wait = attempt.retryDelayMs > 0 ? ` after ${Math.round(attempt.retryDelayMs)}ms` : ''
    return `${attempt.model}${attempt.probe ? ' probe' : ''} ${what}${status}${latency}${wait}`
  })
  if (attempts.length > maxEntries) parts.push(`+${attempts.length - maxEntries} more`)
  return parts.join('; ').replace(/[^\x20-\x7e]/g, '?')
}

const printableAscii = /^[\x20-\x7e]*$/

function isPrintableAscii(text: string): boolean {
  return printableAscii.test(text)
}
