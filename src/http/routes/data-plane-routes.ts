import type { Context } from 'hono'
import { Hono } from 'hono'
import type { ApiKeyAuthenticator } from '../../accounts/api-key-authenticator.ts'
import { handleChatCompletion } from '../../pipeline/handle-chat-completion.ts'
import { handleEmbeddings } from '../../pipeline/handle-embeddings.ts'
import type { PipelineDeps, RequestContext } from '../../pipeline/pipeline-types.ts'
import { chatChunkToTextCompletion, chatToTextCompletion, parseCompletionsRequestAsChat } from '../../protocol/legacy-completions.ts'
import { parseChatRequest } from '../../protocol/parse-chat-request.ts'
import { parseEmbeddingsRequest } from '../../protocol/parse-embeddings-request.ts'
import type { AppEnv } from '../app-env.ts'
import { apiKeyAuth } from '../middleware/api-key-auth.ts'
import { readJsonBody } from '../read-json-body.ts'
import { sendOutcome } from '../send-outcome.ts'

const legacyShape = { completion: chatToTextCompletion, chunk: chatChunkToTextCompletion }

/** The OpenAI-compatible endpoints applications call: thin glue over the pipeline. */
export function dataPlaneRoutes(deps: { pipeline: PipelineDeps; authenticator: ApiKeyAuthenticator }): Hono<AppEnv> {
  const { pipeline, authenticator } = deps
  const app = new Hono<AppEnv>()
  const chatAuth = apiKeyAuth({ authenticator, scope: 'chat' })

  app.post('/chat/completions', chatAuth, async (c) => {
    const request = parseChatRequest(await readJsonBody(c))
    return sendOutcome(c, await handleChatCompletion(request, requestContext(c, '/v1/chat/completions'), pipeline))
  })

  app.post('/completions', chatAuth, async (c) => {
    const request = parseCompletionsRequestAsChat(await readJsonBody(c))
    return sendOutcome(c, await handleChatCompletion(request, requestContext(c, '/v1/completions'), pipeline, legacyShape))
  })

  app.post('/embeddings', apiKeyAuth({ authenticator, scope: 'embeddings' }), async (c) => {
    const request = parseEmbeddingsRequest(await readJsonBody(c))
    return sendOutcome(c, await handleEmbeddings(request, requestContext(c, '/v1/embeddings'), pipeline))
  })

  return app
}

function requestContext(c: Context<AppEnv>, endpoint: string): RequestContext {
  return {
    requestId: c.get('requestId'),
    keyId: c.get('apiKey')?.id ?? null,
    endpoint,
    signal: c.req.raw.signal,
    startedAt: c.get('startedAt'),
    apiKey: c.get('apiKey'),
  }
}
