import type { WireFormat } from './fake-provider-types.ts'
import { dataFrame, namedFrame } from './sse-frame.ts'

type OpenAiErrorKind = { type: string; code: string | null }

const openAiKinds: Record<number, OpenAiErrorKind> = {
  400: { type: 'invalid_request_error', code: null },
  401: { type: 'invalid_request_error', code: 'invalid_api_key' },
  403: { type: 'permission_error', code: null },
  404: { type: 'invalid_request_error', code: 'model_not_found' },
  408: { type: 'timeout_error', code: null },
  429: { type: 'requests', code: 'rate_limit_exceeded' },
  503: { type: 'service_unavailable_error', code: 'server_is_overloaded' },
  504: { type: 'timeout_error', code: null },
}

const anthropicTypes: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  504: 'timeout_error',
  529: 'overloaded_error',
}

const geminiStatuses: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
  500: 'INTERNAL',
  503: 'UNAVAILABLE',
  504: 'DEADLINE_EXCEEDED',
}

/**
 * The message a real provider would send. A 401 deliberately echoes the whole key it received
 * (OpenAI echoes a masked one) so tests can prove the gateway scrubs it.
 */
export function describeStatus(status: number, apiKey: string | undefined): string {
  if (status === 401) return `Incorrect API key provided: ${apiKey ?? '(none)'}.`
  if (status === 429) return 'Rate limit reached for requests. Please try again in 1s.'
  if (status >= 500) return `The fake provider failed with status ${status}.`
  return `The fake provider rejected the request with status ${status}.`
}

/** The error body each provider sends for a non-2xx status. */
export function buildErrorBody(format: WireFormat, status: number, message: string): unknown {
  if (format === 'anthropic') {
    const type = anthropicTypes[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error')
    return { type: 'error', error: { type, message }, request_id: 'req_fake_error' }
  }
  if (format === 'gemini') {
    const code = geminiStatuses[status] ?? (status >= 500 ? 'INTERNAL' : 'FAILED_PRECONDITION')
    return { error: { code: status, message, status: code } }
  }
  const kind = openAiKinds[status] ?? {
    type: status >= 500 ? 'server_error' : 'invalid_request_error',
    code: null,
  }
  return { error: { message, type: kind.type, param: null, code: kind.code } }
}

/** The frame each provider sends when it fails after the stream has started (HTTP 200). */
export function buildErrorFrame(format: WireFormat): string {
  if (format === 'anthropic') {
    return namedFrame('error', {
      type: 'error',
      error: { type: 'overloaded_error', message: 'Overloaded' },
    })
  }
  if (format === 'gemini') {
    return dataFrame({
      error: { code: 503, message: 'The model is overloaded.', status: 'UNAVAILABLE' },
    })
  }
  return dataFrame({
    error: {
      message: 'The server had an error while processing your request.',
      type: 'server_error',
      param: null,
      code: null,
    },
  })
}
