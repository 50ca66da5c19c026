import { GatewayError } from '../../errors/gateway-error.ts'
import { mapUpstreamError, parseJsonSafely } from '../map-upstream-error.ts'
import type { DeploymentTarget, UpstreamFailure } from '../provider-adapter.ts'
import { type GeminiErrorBody, geminiErrorSchema } from './gemini-response-schema.ts'

/**
 * Maps a non-2xx Gemini answer (`{"error": {"code", "message", "status"}}`, google.rpc style) to
 * our catalogue. The streaming endpoint without `alt=sse` wraps it in an array; both are read.
 */
export function parseGeminiError(failure: UpstreamFailure, target: DeploymentTarget): GatewayError {
  const error = readErrorBody(parseJsonSafely(failure.bodyText))
  // Quirk: Gemini answers a bad or expired API key with 400 INVALID_ARGUMENT (reason
  // API_KEY_INVALID), not 401. Passed through as a 400 it would blame the client's request.
  if (failure.status === 400 && isInvalidKey(error)) {
    return new GatewayError(
      'upstream_auth_failed',
      `Provider ${target.providerId} rejected the gateway's credentials (HTTP 400, API_KEY_INVALID). ` +
        'Check the provider API key configured on the gateway.',
      { providerId: target.providerId, upstreamStatus: failure.status },
    )
  }
  return mapUpstreamError({ failure, target, upstreamMessage: error?.message ?? undefined })
}

function readErrorBody(body: unknown): GeminiErrorBody | undefined {
  const envelope: unknown = Array.isArray(body) ? body[0] : body
  if (envelope == null || typeof envelope !== 'object' || !('error' in envelope)) return undefined
  const parsed = geminiErrorSchema.safeParse(envelope.error)
  return parsed.success ? parsed.data : undefined
}

function isInvalidKey(error: GeminiErrorBody | undefined): boolean {
  if (error == null) return false
  if (error.details?.some((detail) => detail.reason === 'API_KEY_INVALID') === true) return true
  return /API key not valid|API key expired/i.test(error.message ?? '')
}
