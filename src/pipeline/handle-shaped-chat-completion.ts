import { microsToUsd } from '../catalog/compute-cost.ts'
import { GatewayError } from '../errors/gateway-error.ts'
import { applyOutputFormat } from '../output/apply-output-format.ts'
import type { OutputFormat } from '../output/output-format.ts'
import { shapeWithRepairs } from '../output/repair-loop.ts'
import type { ChatCompletion, ChatRequest } from '../protocol/openai-chat-types.ts'
import type { RequestLogRow } from '../store/store.ts'
import type { PipelineDeps, PipelineOutcome, RequestContext } from './pipeline-types.ts'
import { resolveCandidates } from './resolve-candidates.ts'
import { type ChatStepResult, runChatStep } from './run-chat-step.ts'
import { sumUsage } from './sum-usage.ts'

type Answer = Extract<ChatStepResult, { ok: true }>

/**
 * `/v1/chat/completions` with `output_format`: the format applied to the request, the answer
 * shaped, and for json/xml up to `maxRepairs` repair rounds on the same model. The client gets
 * the original completion (id, model) with the shaped content and the usage and cost of every
 * round; the request log gets one row with the same sums. Streaming is refused by the caller.
 */
export async function handleShapedChatCompletion(
  request: ChatRequest,
  format: OutputFormat,
  context: RequestContext,
  deps: PipelineDeps,
): Promise<PipelineOutcome> {
  // A named model's capabilities decide whether the schema goes natively; `router`/`auto` (the
  // routing engine chooses later) gets the schema described in the prompt, which every model reads.
  const named = deps.catalog.resolve(request.model)
  const firstCandidate = named ?? (deps.router == null ? resolveCandidates(request, deps.catalog, 'chat')[0] : undefined)
  const shapedRequest = applyOutputFormat(request, format, firstCandidate?.capabilities ?? [])
  const first = await runChatStep({ request: shapedRequest, context, deps })
  if (!first.ok) throw first.error
  if ((first.completion?.choices[0]?.message.tool_calls?.length ?? 0) > 0 && first.completion != null) {
    // A tool call is not an answer to shape: the client runs the tool and asks again.
    recordMerged({ rows: [first.row], context, deps, status: 200, errorCode: null })
    return { kind: 'json', body: first.completion, headers: first.headers }
  }
  const answers: Answer[] = [first]
  const outcome = await shapeWithRepairs({
    format,
    messages: shapedRequest.messages,
    first,
    async ask(messages, round) {
      // Repairs go to the model that answered, not back through the fallback list. Each round is
      // its own pipeline call with its own id (`<id>_r<n>`), so anything the pipeline does once
      // per request id (settling money, at merge) counts every round; the log gets one merged row.
      const repaired = await runChatStep({
        request: { ...shapedRequest, model: first.headers['x-switchyard-model'] ?? first.model, messages, models: [] },
        context: { ...context, requestId: `${context.requestId}_r${round}` },
        deps,
      })
      if (!repaired.ok) {
        recordMerged({
          rows: [...answers.map((answer) => answer.row), repaired.row],
          context,
          deps,
          status: repaired.error.status,
          errorCode: repaired.error.code,
        })
        throw repaired.error
      }
      answers.push(repaired)
      return repaired
    },
  })
  const rows = answers.map((answer) => answer.row)
  const costMicros = rows.reduce((sum, row) => sum + row.costMicros, 0)
  const usage = sumUsage(
    answers.map((answer) => answer.usage),
    costMicros,
  )
  const repairs = String(answers.length - 1)
  if (!outcome.ok) {
    recordMerged({ rows, context, deps, status: 422, errorCode: 'output_validation_failed' })
    throw new GatewayError(
      'output_validation_failed',
      `The model's answer did not match output_format (${format.type}) after ${answers.length - 1} repair round(s): ${outcome.errors.slice(0, 3).join('; ')}`,
      {
        param: 'output_format',
        headers: { 'x-switchyard-repairs': repairs, 'x-switchyard-cost-usd': microsToUsd(costMicros).toFixed(6) },
        details: { validation_errors: outcome.errors, last_output: outcome.lastOutput, usage },
      },
    )
  }
  recordMerged({ rows, context, deps, status: 200, errorCode: null })
  const last = answers.at(-1) ?? first
  const lastChoice = last.completion?.choices[0]
  // The provider's answer as it came (id, created, fingerprint, finish reason), with the shaped
  // content and the usage of every round.
  const completion: ChatCompletion = {
    object: 'chat.completion',
    created: Math.floor(context.startedAt / 1000),
    ...last.completion,
    id: first.id,
    model: last.model,
    choices: [
      {
        index: 0,
        ...lastChoice,
        message: { ...lastChoice?.message, role: 'assistant', content: outcome.content },
        finish_reason: lastChoice?.finish_reason ?? 'stop',
      },
    ],
    usage,
  }
  return {
    kind: 'json',
    body: completion,
    headers: { ...last.headers, 'x-switchyard-cost-usd': microsToUsd(costMicros).toFixed(6), 'x-switchyard-repairs': repairs },
  }
}

/** All rounds of one request as its one request-log row: tokens and micro-dollars added. */
function recordMerged(options: {
  rows: readonly RequestLogRow[]
  context: RequestContext
  deps: PipelineDeps
  status: number
  errorCode: string | null
}): void {
  const { rows, context, deps } = options
  const last = rows.at(-1)
  if (last == null) return
  const sum = (pick: (row: RequestLogRow) => number) => rows.reduce((total, row) => total + pick(row), 0)
  deps.requestLog.record({
    ...last,
    requestId: context.requestId,
    status: options.status,
    errorCode: options.errorCode,
    inputTokens: sum((row) => row.inputTokens),
    outputTokens: sum((row) => row.outputTokens),
    cachedInputTokens: sum((row) => row.cachedInputTokens),
    reasoningTokens: sum((row) => row.reasoningTokens),
    costMicros: sum((row) => row.costMicros),
    latencyMs: Math.max(0, Math.round(deps.now() - context.startedAt)),
    createdAt: Math.round(context.startedAt),
  })
}
