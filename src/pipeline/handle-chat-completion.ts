import type { CatalogModel } from '../catalog/catalog-types.ts'
import { microsToUsd } from '../catalog/compute-cost.ts'
import { GatewayError } from '../errors/gateway-error.ts'
import type { ChatCompletion, ChatCompletionChunk, ChatRequest } from '../protocol/openai-chat-types.ts'
import type { Usage } from '../providers/provider-adapter.ts'
import type { RoutingExplanation } from '../routing/routing-explanation.ts'
import type { CommittedChat } from './attempt-chat.ts'
import { summarizeAttempts } from './attempt-record.ts'
import { buildLogRow } from './build-log-row.ts'
import { attemptsOf, callWithFallback, deploymentIdOf, type FailedAttempt } from './call-with-fallback.ts'
import { createClientChatStream } from './client-chat-stream.ts'
import type { PipelineDeps, PipelineOutcome, RequestContext } from './pipeline-types.ts'
import { resolveCandidates } from './resolve-candidates.ts'
import { isTrivialRoute } from './trivial-explanation.ts'
import { estimateTokensFromCharacters, type MeteredUsage, meterUsage, toOpenAiUsage } from './usage-report.ts'

/**
 * The story of a chat request: resolve the candidate models, call them with fallback until one
 * commits, then meter what it cost and log it, once, however the request ends.
 */
export type ResponseShape = {
  completion(completion: ChatCompletion): unknown
  chunk(chunk: ChatCompletionChunk): unknown
}

export async function handleChatCompletion(
  clientRequest: ChatRequest,
  context: RequestContext,
  deps: PipelineDeps,
  shape?: ResponseShape,
): Promise<PipelineOutcome> {
  const routed =
    deps.router == null
      ? { request: clientRequest, candidates: resolveCandidates(clientRequest, deps.catalog, 'chat'), explanation: undefined }
      : deps.router.route(clientRequest, {
          policyHeader: context.policyHeader,
          estimatedInputTokens: context.estimatedInputTokens,
          keyAllowedModels: context.apiKey?.allowedModels,
        })
  const { candidates, explanation } = routed
  const request = routed.request
  // Money is held after routing and before the call, and released at once if no answer commits.
  const held = deps.spend?.reserveChat(request, candidates, context)
  const hold = held instanceof Promise ? await held : held
  let called: Awaited<ReturnType<typeof callWithFallback>>
  try {
    called = await callWithFallback({ candidates, request, context, deps })
  } catch (error) {
    hold?.release()
    if (explanation != null) recordFailedRoute(explanation, error, context, deps)
    throw error
  }
  const { committed, failedAttempts, attempts } = called
  const headers = routeHeaders(committed.model, candidates, failedAttempts, explanation)
  headers['x-switchyard-attempts'] = summarizeAttempts(attempts)
  // An unrouted request stores nothing: its explanation is rebuilt from the log row when read (unless
  // the client gave its own input estimate, which the row would not show).
  if (explanation != null && (context.estimatedInputTokens != null || !isTrivialRoute(explanation, candidates, attempts))) {
    deps.explanations?.record(context.requestId, {
      ...explanation,
      attempts: failedAttempts,
      calls: attempts,
      answeredBy: committed.model.id,
      keyId: context.keyId,
    })
    for (const attempt of failedAttempts) {
      deps.router?.recordOutcome(explanation, {
        model: attempt.model,
        success: false,
        latencyMs: deps.now() - context.startedAt,
        costMicros: 0,
      })
    }
  }
  const record = (outcome: { status: number; errorCode: string | null; stream: boolean; metered: MeteredUsage; ttftMs: number | null }) => {
    context.onFinish?.finish(outcome.metered.usage.inputTokens + outcome.metered.usage.outputTokens)
    const finishedAt = deps.now()
    if (explanation != null) {
      deps.router?.recordOutcome(explanation, {
        model: committed.model.id,
        success: outcome.status === 200,
        latencyMs: finishedAt - context.startedAt,
        costMicros: outcome.metered.costMicros,
      })
    }
    return deps.requestLog.record(
      buildLogRow({
        context,
        finishedAt,
        model: committed.model.id,
        provider: committed.model.providerId,
        status: outcome.status,
        errorCode: outcome.errorCode,
        stream: outcome.stream,
        usage: outcome.metered.usage,
        costMicros: outcome.metered.costMicros,
        ttftMs: outcome.ttftMs,
      }),
    )
  }
  if (committed.kind === 'json') {
    const metered = meterUsage(committed.result.usage ?? zeroUsage, committed.model)
    hold?.settle(metered.costMicros, committed.model.id)
    record({ status: 200, errorCode: null, stream: false, metered, ttftMs: null })
    headers['x-switchyard-cost-usd'] = microsToUsd(metered.costMicros).toFixed(6)
    // The adapter built this completion for this request alone: its usage is replaced in place.
    const completion: ChatCompletion = committed.result.completion
    completion.usage = toOpenAiUsage(metered)
    return { kind: 'json', body: shape == null ? completion : shape.completion(completion), headers }
  }
  const includeUsage = request.stream_options?.include_usage === true
  // Only a stream cut before the provider reported usage needs an estimate.
  const usageOf = (usage: Usage | undefined, delivered: number): Usage =>
    usage ?? {
      ...zeroUsage,
      inputTokens: estimateTokensFromCharacters(JSON.stringify(request.messages).length),
      outputTokens: estimateTokensFromCharacters(delivered),
    }
  const body = createClientChatStream({
    committed,
    ...(shape == null ? {} : { present: shape.chunk }),
    usageChunk: includeUsage
      ? (usage, delivered) => usageChunk(committed, meterUsage(usageOf(usage, delivered), committed.model))
      : undefined,
    onEnd(end) {
      if (end.outcome === 'failed') deps.health?.recordBrokenStream(deploymentIdOf(committed.model), deps.now())
      const metered = meterUsage(usageOf(end.usage, end.deliveredCharacters), committed.model)
      // Only what the client received is charged: a completed or aborted stream pays for what was
      // delivered (estimated from the delivered text when the provider reported nothing); a stream
      // the provider broke off is not charged.
      if (end.outcome === 'failed') hold?.release()
      else hold?.settle(metered.costMicros, committed.model.id)
      const status = end.outcome === 'completed' ? 200 : end.outcome === 'aborted' ? 499 : (end.error?.status ?? 502)
      record({
        status,
        errorCode: end.error?.code ?? (end.outcome === 'aborted' ? 'client_aborted' : null),
        stream: true,
        metered,
        ttftMs: Math.round(committed.firstChunkAt - context.startedAt),
      })
    },
  })
  return { kind: 'stream', body, headers }
}

/**
 * A routed request that no candidate answered: the explanation records why, and the bandit learns
 * that the providers failed. call-with-fallback only moves on after provider failures (upstream_*
 * codes), so such an error means every candidate in the order failed; a client error teaches the
 * bandit nothing.
 */
function recordFailedRoute(explanation: RoutingExplanation, error: unknown, context: RequestContext, deps: PipelineDeps): void {
  const calls = attemptsOf(error) ?? []
  const attempts: FailedAttempt[] = calls
    .filter((call) => call.outcome !== 'success')
    .map((call) => ({
      model: call.model,
      provider: call.provider,
      code: call.code ?? 'error',
      message: `${call.outcome} ${call.code ?? ''}`.trim(),
    }))
  const code = error instanceof GatewayError ? error.code : 'internal_error'
  const message = error instanceof Error ? error.message : String(error)
  deps.explanations?.record(context.requestId, {
    ...explanation,
    attempts,
    calls,
    answeredBy: null,
    keyId: context.keyId,
    error: { code, message },
  })
  const failed = attempts.length > 0 ? attempts.map((attempt) => attempt.model) : code.startsWith('upstream_') ? explanation.order : []
  for (const model of failed) {
    deps.router?.recordOutcome(explanation, { model, success: false, latencyMs: deps.now() - context.startedAt, costMicros: 0 })
  }
}

const zeroUsage: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 0 }

function usageChunk(committed: Extract<CommittedChat, { kind: 'stream' }>, metered: ReturnType<typeof meterUsage>): ChatCompletionChunk {
  const { streamContext } = committed
  return {
    id: streamContext.id,
    object: 'chat.completion.chunk',
    created: streamContext.created,
    model: streamContext.model,
    choices: [],
    usage: toOpenAiUsage(metered),
  }
}

function routeHeaders(
  model: CatalogModel,
  candidates: readonly CatalogModel[],
  failedAttempts: readonly FailedAttempt[],
  explanation: RoutingExplanation | undefined,
): Record<string, string> {
  const chosenReason = explanation?.reason ?? (candidates.length > 1 ? 'first-of-list' : 'requested')
  const headers: Record<string, string> = {
    'x-switchyard-model': model.id,
    'x-switchyard-provider': model.providerId,
    'x-switchyard-route-reason': failedAttempts.length > 0 ? 'fallback' : chosenReason,
    'x-switchyard-fallbacks': String(failedAttempts.length),
  }
  // A single model named explicitly had no policy and one candidate: the two headers would only
  // repeat `route-reason: requested`, and every header costs each response a little.
  if (explanation != null && (explanation.mode !== 'explicit' || candidates.length > 1)) {
    headers['x-switchyard-policy'] = explanation.policy
    headers['x-switchyard-candidates'] = String(explanation.order.length)
    if (explanation.tier != null) headers['x-switchyard-tier'] = explanation.tier
  }
  return headers
}
