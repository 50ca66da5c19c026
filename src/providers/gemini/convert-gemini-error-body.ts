import type { ErrorCode } from '../../errors/error-catalogue.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { GeminiErrorBody } from './gemini-response-schema.ts'

const maxMessageLength = 2000

/**
 * Converts an `error` object Gemini sent inside a 200 answer (an SSE data frame mid-stream) to a
 * GatewayError. HTTP failures go through `parseGeminiError` instead; here the status is whatever
 * the body claims, as google.rpc code and name.
 */
export function convertGeminiErrorBody(error: GeminiErrorBody): GatewayError {
  const rawMessage = error.message ?? error.status ?? 'unknown error'
  const message = rawMessage.length > maxMessageLength ? `${rawMessage.slice(0, maxMessageLength)}…` : rawMessage
  const options = error.code != null ? { upstreamStatus: error.code } : {}
  return new GatewayError(chooseCode(error), `Gemini reported an error: ${message}`, options)
}

function chooseCode(error: GeminiErrorBody): ErrorCode {
  if (error.code === 429 || error.status === 'RESOURCE_EXHAUSTED') return 'upstream_rate_limited'
  if (error.code === 503 || error.status === 'UNAVAILABLE') return 'upstream_unavailable'
  if (error.code === 504 || error.status === 'DEADLINE_EXCEEDED') return 'upstream_timeout'
  return 'upstream_error'
}
