import type { Context, MiddlewareHandler } from 'hono'
import { Hono } from 'hono'
import type { ApiKeyAuthenticator } from '../../accounts/api-key-authenticator.ts'
import { handleChatCompletion } from '../../pipeline/handle-chat-completion.ts'
import { handleEmbeddings } from '../../pipeline/handle-embeddings.ts'
import { handleShapedChatCompletion } from '../../pipeline/handle-shaped-chat-completion.ts'
import type { PipelineDeps, RequestContext } from '../../pipeline/pipeline-types.ts'
import { chatChunkToTextCompletion, chatToTextCompletion, parseCompletionsRequestAsChat } from '../../protocol/legacy-completions.ts'
import { parseChatRequest } from '../../protocol/parse-chat-request.ts'
import { parseEmbeddingsRequest } from '../../protocol/parse-embeddings-request.ts'
import type { AppEnv } from '../app-env.ts'
import { apiKeyAuth } from '../middleware/api-key-auth.ts'
import { readJsonBody } from '../read-json-body.ts'
import { sendOutcome } from '../send-outcome.ts'
import { takeOutputFormat } from '../take-output-format.ts'

const legacyShape = { completion: chatToTextCompletion, chunk: chatChunkToTextCompletion }

/** The OpenAI-compatible endpoints applications call: thin glue over the pipeline. */
export function dataPlaneRoutes(deps: {
  pipeline: PipelineDeps
  authenticator: ApiKeyAuthenticator
  /** Default repair rounds for `output_format` (json, xml). */
  outputMaxRepairs?: number
  /** Rate limits and concurrency (http/middleware/rate-limit.ts), after authentication. */
  admission: MiddlewareHandler<AppEnv>
}): Hono<AppEnv> {
  const { pipeline, authenticator, admission } = deps
  const app = new Hono<AppEnv>()
  const chatAuth = apiKeyAuth({ authenticator, scope: 'chat' })

  app.post('/chat/completions', chatAuth, admission, async (c) => {
    const request = parseChatRequest(await readJsonBody(c))
    const format = takeOutputFormat(request, deps.outputMaxRepairs ?? 2)
    const context = requestContext(c, '/v1/chat/completions')
    if (format != null) return sendOutcome(c, await handleShapedChatCompletion(request, format, context, pipeline))
    return sendOutcome(c, await handleChatCompletion(request, context, pipeline))
  })

  app.post('/completions', chatAuth, admission, async (c) => {
    const request = parseCompletionsRequestAsChat(await readJsonBody(c))
    return sendOutcome(c, await handleChatCompletion(request, requestContext(c, '/v1/completions'), pipeline, legacyShape))
  })

  app.post('/embeddings', apiKeyAuth({ authenticator, scope: 'embeddings' }), admission, async (c) => {
    const request = parseEmbeddingsRequest(await readJsonBody(c))
    return sendOutcome(c, await handleEmbeddings(request, requestContext(c, '/v1/embeddings'), pipeline))
  })

  return app
}

export function requestContext(c: Context<AppEnv>, endpoint: string): RequestContext {
  return {
    requestId: c.get('requestId'),
    keyId: c.get('apiKey')?.id ?? null,
    endpoint,
    signal: c.req.raw.signal,
    startedAt: c.get('startedAt'),
    onFinish: c.get('rateLimitTicket'),
    policyHeader: c.req.header('x-switchyard-policy'),
    apiKey: c.get('apiKey'),
  }
}
