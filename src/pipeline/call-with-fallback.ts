import type { CatalogModel } from '../catalog/catalog-types.ts'
import { GatewayError } from '../errors/gateway-error.ts'
import type { ChatRequest } from '../protocol/openai-chat-types.ts'
import { attemptChat, type CommittedChat } from './attempt-chat.ts'
import type { PipelineDeps, RequestContext } from './pipeline-types.ts'

export type FailedAttempt = { model: string; provider: string; code: string; message: string }

/** Codes after which another model may well succeed: transient, or specific to that deployment. */
const fallbackCodes = new Set([
  'upstream_error',
  'upstream_unavailable',
  'upstream_timeout',
  'upstream_rate_limited',
  'upstream_auth_failed',
  'model_not_found',
  'context_length_exceeded',
])

/**
 * Tries each candidate in order until one commits. Only failures before the first byte reach
 * here, so a fallback never splices two providers' answers into one response.
 */
export async function callWithFallback(options: {
  candidates: readonly CatalogModel[]
  request: ChatRequest
  context: RequestContext
  deps: PipelineDeps
}): Promise<{ committed: CommittedChat; failedAttempts: FailedAttempt[] }> {
  const failedAttempts: FailedAttempt[] = []
  let lastError: GatewayError | undefined
  for (const model of options.candidates) {
    try {
      const committed = await attemptChat({ model, request: options.request, context: options.context, deps: options.deps })
      return { committed, failedAttempts }
    } catch (error) {
      if (!(error instanceof GatewayError)) throw error
      lastError = error
      failedAttempts.push({ model: model.id, provider: model.providerId, code: error.code, message: error.message })
      if (!fallbackCodes.has(error.code)) throw error
    }
  }
  throw lastError ?? new GatewayError('internal_error', 'No candidate model was tried.')
}
