import { GatewayError } from '../errors/gateway-error.ts'
import type { DeploymentTarget, UpstreamFailure } from './provider-adapter.ts'

const maxRetryAfterSeconds = 60

/** Reads `retry-after-ms` then `retry-after` (seconds or HTTP date); ignores values outside 0–60 s. */
export function parseRetryAfterSeconds(headers: Headers, now = Date.now()): number | undefined {
  const milliseconds = headers.get('retry-after-ms')
  if (milliseconds != null) {
    const value = Number(milliseconds)
    if (Number.isFinite(value) && value >= 0 && value / 1000 <= maxRetryAfterSeconds) return value / 1000
  }
  const header = headers.get('retry-after')
  if (header == null) return undefined
  const seconds = Number(header)
  const value = Number.isFinite(seconds) ? seconds : (Date.parse(header) - now) / 1000
  if (!Number.isFinite(value) || value < 0 || value > maxRetryAfterSeconds) return undefined
  return value
}

const contextOverflowPattern =
  /context.length|context window|maximum context|too many tokens|prompt is too long|input is too long|exceeds the (maximum|context)/i

/**
 * Maps an upstream HTTP failure to our catalogue, given the message the adapter extracted from the
 * provider's own error body. The upstream's credentials never reach the message: an auth failure
 * is reported in our words only, and any echo of the key is scrubbed.
 */
export function mapUpstreamError(options: {
  failure: UpstreamFailure
  target: DeploymentTarget
  upstreamMessage: string | undefined
}): GatewayError {
  const { failure, target } = options
  const provider = target.providerId
  const status = failure.status
  const message = scrubSecret(options.upstreamMessage ?? `HTTP ${status}`, target.apiKey)
  const common = {
    providerId: provider,
    upstreamStatus: status,
    retryAfterSeconds: parseRetryAfterSeconds(failure.headers),
  }
  if (status === 401 || status === 403) {
    return new GatewayError(
      'upstream_auth_failed',
      `Provider ${provider} rejected the gateway's credentials (HTTP ${status}). Check the provider API key configured on the gateway.`,
      common,
    )
  }
  if (status === 429) {
    return new GatewayError('upstream_rate_limited', `Provider ${provider} is rate limiting: ${message}`, common)
  }
  if (status === 408) {
    return new GatewayError('upstream_timeout', `Provider ${provider} timed out: ${message}`, common)
  }
  if (status === 409) {
    return new GatewayError('upstream_error', `Provider ${provider} reported a conflict: ${message}`, common)
  }
  if (status === 504) {
    return new GatewayError('upstream_timeout', `Provider ${provider} timed out: ${message}`, common)
  }
  if (status === 503 || status === 529) {
    return new GatewayError('upstream_unavailable', `Provider ${provider} is unavailable: ${message}`, common)
  }
  if (status >= 500) {
    return new GatewayError('upstream_error', `Provider ${provider} failed (HTTP ${status}): ${message}`, common)
  }
  if (status === 404) {
    return new GatewayError('model_not_found', `Provider ${provider}: ${message}`, common)
  }
  if ((status === 400 || status === 413) && contextOverflowPattern.test(message)) {
    return new GatewayError('context_length_exceeded', `Provider ${provider}: ${message}`, common)
  }
  // Other 4xx: the request itself was refused; pass the status through so SDKs classify it.
  const passStatus = status >= 400 && status < 500 ? status : 502
  return new GatewayError('upstream_rejected', `Provider ${provider} rejected the request: ${message}`, {
    ...common,
    status: passStatus,
  })
}

function scrubSecret(text: string, secret: string | undefined): string {
  const trimmed = text.length > 2000 ? `${text.slice(0, 2000)}…` : text
  if (secret == null || secret.length < 4) return trimmed
  return trimmed.split(secret).join('[redacted]')
}

/** Best-effort JSON parse of an error body; returns undefined for non-JSON. */
export function parseJsonSafely(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
