// Every error the gateway can answer with, one line each: HTTP status, OpenAI `type`, and whether a
// retry (ours, before the first byte, or the client SDK's) may help. The official SDKs pick their
// exception class by status alone, so the status is what matters most.

export type ErrorSpec = { status: number; type: string; retryable: boolean }

export const errorCatalogue = {
  invalid_request: { status: 400, type: 'invalid_request_error', retryable: false },
  invalid_json: { status: 400, type: 'invalid_request_error', retryable: false },
  invalid_api_key: { status: 401, type: 'invalid_request_error', retryable: false },
  insufficient_quota: { status: 402, type: 'insufficient_quota', retryable: false },
  permission_denied: { status: 403, type: 'permission_error', retryable: false },
  not_found: { status: 404, type: 'invalid_request_error', retryable: false },
  model_not_found: { status: 404, type: 'invalid_request_error', retryable: false },
  method_not_allowed: { status: 405, type: 'invalid_request_error', retryable: false },
  request_too_large: { status: 413, type: 'invalid_request_error', retryable: false },
  unsupported_media_type: { status: 415, type: 'invalid_request_error', retryable: false },
  rate_limit_exceeded: { status: 429, type: 'rate_limit_error', retryable: true },
  concurrency_limit_exceeded: { status: 429, type: 'rate_limit_error', retryable: true },
  feature_not_enabled: { status: 501, type: 'invalid_request_error', retryable: false },
  internal_error: { status: 500, type: 'server_error', retryable: false },
  upstream_error: { status: 502, type: 'server_error', retryable: true },
  upstream_auth_failed: { status: 502, type: 'server_error', retryable: false },
  upstream_rejected: { status: 400, type: 'invalid_request_error', retryable: false },
  upstream_rate_limited: { status: 429, type: 'rate_limit_error', retryable: true },
  upstream_unavailable: { status: 503, type: 'service_unavailable_error', retryable: true },
  upstream_timeout: { status: 504, type: 'timeout_error', retryable: true },
  context_length_exceeded: { status: 400, type: 'invalid_request_error', retryable: false },
  output_validation_failed: { status: 422, type: 'invalid_response_error', retryable: false },
  service_unavailable: { status: 503, type: 'service_unavailable_error', retryable: true },
} as const satisfies Record<string, ErrorSpec>

export type ErrorCode = keyof typeof errorCatalogue
