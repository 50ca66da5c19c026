import { handleChatCompletion } from '../../pipeline/handle-chat-completion.ts'
import { handleEmbeddings } from '../../pipeline/handle-embeddings.ts'
import { handleShapedChatCompletion } from '../../pipeline/handle-shaped-chat-completion.ts'
import type { PipelineDeps, PipelineOutcome, RequestContext } from '../../pipeline/pipeline-types.ts'
import { handlePlan, type PlanDeps } from '../../plan/handle-plan.ts'
import { parsePlanRequest } from '../../plan/parse-plan-request.ts'
import { chatChunkToTextCompletion, chatToTextCompletion, parseCompletionsRequestAsChat } from '../../protocol/legacy-completions.ts'
import { parseChatRequest } from '../../protocol/parse-chat-request.ts'
import { parseEmbeddingsRequest } from '../../protocol/parse-embeddings-request.ts'
import { parseTokenHubChat, toTokenHubResponse } from '../../protocol/tokenhub-chat.ts'
import type { Scope } from '../../store/store.ts'
import { takeOutputFormat } from '../take-output-format.ts'

/** One endpoint applications call: its path, the scope a key needs, and the work on the parsed body. */
export type DataPlaneEndpoint = {
  path: string
  scope: Scope
  run(body: unknown, context: RequestContext): Promise<PipelineOutcome>
}

const legacyShape = { completion: chatToTextCompletion, chunk: chatChunkToTextCompletion }

/**
 * The data plane's endpoints: thin glue from a JSON body to the pipeline. Authentication,
 * admission, the body and the response are the front's (serve-data-plane-request.ts), the same
 * for every one of them.
 */
export function dataPlaneEndpoints(deps: { pipeline: PipelineDeps; plan: PlanDeps; outputMaxRepairs: number }): DataPlaneEndpoint[] {
  const { pipeline, plan, outputMaxRepairs } = deps
  return [
    {
      path: '/v1/chat/completions',
      scope: 'chat',
      run(body, context) {
        const request = parseChatRequest(body)
        const format = takeOutputFormat(request, outputMaxRepairs)
        if (format != null) return handleShapedChatCompletion(request, format, context, pipeline)
        return handleChatCompletion(request, context, pipeline)
      },
    },
    {
      path: '/v1/completions',
      scope: 'chat',
      run: (body, context) => handleChatCompletion(parseCompletionsRequestAsChat(body), context, pipeline, legacyShape),
    },
    {
      path: '/v1/embeddings',
      scope: 'embeddings',
      run: (body, context) => handleEmbeddings(parseEmbeddingsRequest(body), context, pipeline),
    },
    {
      // TokenHub's chat: same pipeline, TokenHub's envelope. Streams are OpenAI-format SSE (TokenHub
      // passes the provider's SSE through) whose last chunk always carries usage with the real cost.
      path: '/v1/chat',
      scope: 'chat',
      async run(body, context) {
        const { chat, estimatedInputTokens } = parseTokenHubChat(body)
        const format = takeOutputFormat(chat, outputMaxRepairs)
        const request = chat.stream === true ? { ...chat, stream_options: { ...chat.stream_options, include_usage: true } } : chat
        const withEstimate = { ...context, estimatedInputTokens }
        const outcome =
          format == null
            ? await handleChatCompletion(request, withEstimate, pipeline)
            : await handleShapedChatCompletion(request, format, withEstimate, pipeline)
        const headers = { ...outcome.headers, 'x-negotiated-model': outcome.headers['x-switchyard-model'] ?? '' }
        if (outcome.kind === 'stream') return { ...outcome, headers }
        return { kind: 'json', body: toTokenHubResponse(outcome.body, outcome.headers), headers }
      },
    },
    {
      // Multi-model orchestration: a plan is one request to the limiter, finished with every step's tokens.
      // Its scope is `plan` (not a default scope: a plan can make many calls).
      path: '/v1/plan',
      scope: 'plan',
      run: (body, context) => handlePlan(parsePlanRequest(body, { defaultMaxRepairs: outputMaxRepairs }), context, plan),
    },
  ]
}
