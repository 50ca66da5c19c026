import type { GatewayError } from '../../errors/gateway-error.ts'
import { mapUpstreamError, parseJsonSafely } from '../map-upstream-error.ts'
import type { DeploymentTarget, UpstreamFailure } from '../provider-adapter.ts'
import { anthropicErrorBodySchema } from './anthropic-api-schema.ts'

/**
 * A non-2xx Anthropic answer (`{"type":"error","error":{"type","message"}}`) → our catalogue.
 * The status drives the mapping (529 overloaded → upstream_unavailable); only the message is read.
 */
export function parseAnthropicError(failure: UpstreamFailure, target: DeploymentTarget): GatewayError {
  const parsed = anthropicErrorBodySchema.safeParse(parseJsonSafely(failure.bodyText))
  const message = parsed.success ? parsed.data.error.message : undefined
  const upstreamMessage = message == null || message === '' ? undefined : message
  return mapUpstreamError({ failure, target, upstreamMessage })
}
