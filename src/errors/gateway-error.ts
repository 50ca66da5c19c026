import { type ErrorCode, errorCatalogue } from './error-catalogue.ts'

export type GatewayErrorOptions = {
  param?: string | null
  /** Overrides the catalogue status (an upstream 4xx passed through keeps its own status). */
  status?: number
  /** Overrides the catalogue `retryable` flag for our own failover. */
  retryable?: boolean
  headers?: Readonly<Record<string, string>>
  providerId?: string
  upstreamStatus?: number
  /** Seconds the upstream asked us to wait, if it said. */
  retryAfterSeconds?: number
  /** Extra fields of the error object (a 422's validation errors and last output). */
  details?: Readonly<Record<string, unknown>>
  cause?: unknown
}

/** The one error type the gateway throws. `http/on-error.ts` renders it; nothing else does. */
export class GatewayError extends Error {
  readonly code: ErrorCode
  readonly status: number
  readonly type: string
  readonly param: string | null
  readonly retryable: boolean
  readonly headers: Readonly<Record<string, string>>
  readonly providerId: string | undefined
  readonly upstreamStatus: number | undefined
  readonly retryAfterSeconds: number | undefined
  readonly details: Readonly<Record<string, unknown>> | undefined

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    const spec = errorCatalogue[code]
    this.name = 'GatewayError'
    this.code = code
    this.status = options.status ?? spec.status
    this.type = spec.type
    this.param = options.param ?? null
    this.retryable = options.retryable ?? spec.retryable
    this.headers = options.headers ?? {}
    this.providerId = options.providerId
    this.upstreamStatus = options.upstreamStatus
    this.retryAfterSeconds = options.retryAfterSeconds
    this.details = options.details
  }
}

export function isGatewayError(value: unknown): value is GatewayError {
  return value instanceof GatewayError
}

export type ErrorBody = {
  error: { message: string; type: string; code: string | null; param: string | null; [detail: string]: unknown }
}

export function renderErrorBody(error: GatewayError): ErrorBody {
  return { error: { ...error.details, message: error.message, type: error.type, code: error.code, param: error.param } }
}
