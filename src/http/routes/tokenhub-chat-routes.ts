import type { MiddlewareHandler } from 'hono'
import { Hono } from 'hono'
import type { ApiKeyAuthenticator } from '../../accounts/api-key-authenticator.ts'
import { handleChatCompletion } from '../../pipeline/handle-chat-completion.ts'
import { handleShapedChatCompletion } from '../../pipeline/handle-shaped-chat-completion.ts'
import type { PipelineDeps } from '../../pipeline/pipeline-types.ts'
import { parseTokenHubChat, toTokenHubResponse } from '../../protocol/tokenhub-chat.ts'
import type { AppEnv } from '../app-env.ts'
import { apiKeyAuth } from '../middleware/api-key-auth.ts'
import { readJsonBody } from '../read-json-body.ts'
import { sendOutcome } from '../send-outcome.ts'
import { takeOutputFormat } from '../take-output-format.ts'
import { requestContext } from './data-plane-routes.ts'

/**
 * TokenHub's `POST /v1/chat`: same admission (scope `chat`, rate limits) and pipeline as chat
 * completions (routing, directives, fallback, metering, log), TokenHub's envelope. Streams are
 * OpenAI-format SSE (TokenHub passes the provider's SSE through); the last chunk always carries
 * usage with the real cost. `output_format` is shaped (and json/xml repaired) exactly as on
 * /v1/chat/completions.
 */
export function tokenHubChatRoutes(deps: {
  pipeline: PipelineDeps
  authenticator: ApiKeyAuthenticator
  admission: MiddlewareHandler<AppEnv>
  outputMaxRepairs: number
}): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.post('/chat', apiKeyAuth({ authenticator: deps.authenticator, scope: 'chat' }), deps.admission, async (c) => {
    const { chat, estimatedInputTokens } = parseTokenHubChat(await readJsonBody(c))
    const format = takeOutputFormat(chat, deps.outputMaxRepairs)
    const request = chat.stream === true ? { ...chat, stream_options: { ...chat.stream_options, include_usage: true } } : chat
    const context = { ...requestContext(c, '/v1/chat'), estimatedInputTokens }
    const outcome =
      format == null
        ? await handleChatCompletion(request, context, deps.pipeline)
        : await handleShapedChatCompletion(request, format, context, deps.pipeline)
    const headers = { ...outcome.headers, 'x-negotiated-model': outcome.headers['x-switchyard-model'] ?? '' }
    if (outcome.kind === 'stream') return sendOutcome(c, { ...outcome, headers })
    return sendOutcome(c, { kind: 'json', body: toTokenHubResponse(outcome.body, outcome.headers), headers })
  })
  return app
}
