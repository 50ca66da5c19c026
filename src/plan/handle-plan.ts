import type { ReservePlan } from '../accounts/money/create-plan-reserver.ts'
import { microsToUsd } from '../catalog/compute-cost.ts'
import { GatewayError, isGatewayError, renderErrorBody } from '../errors/gateway-error.ts'
import { formatInstruction } from '../output/format-instructions.ts'
import { shapeWithRepairs } from '../output/repair-loop.ts'
import { buildLogRow } from '../pipeline/build-log-row.ts'
import type { PipelineDeps, PipelineOutcome, RequestContext } from '../pipeline/pipeline-types.ts'
import type { CompletionUsage } from '../protocol/openai-chat-types.ts'
import { encodeSseEvent } from '../sse/encode-sse.ts'
import type { ChooseModel } from './choose-model.ts'
import type { PlanRequest } from './parse-plan-request.ts'
import type { ModeInput, ModeResult, SucceededStep } from './plan-mode-types.ts'
import { createPlanStepRunner, type PlanEvent, type PlanStep, summarizeStep } from './plan-step-runner.ts'
import { planWorstCaseMicros, promptTokenBound } from './plan-worst-case.ts'
import { resolvePlanLineup } from './resolve-plan-lineup.ts'
import { runAdversarialMode } from './run-adversarial-mode.ts'
import { runPlanningMode } from './run-planning-mode.ts'
import { runRefineMode } from './run-refine-mode.ts'
import { runVoteMode } from './run-vote-mode.ts'

export type PlanDeps = {
  pipeline: PipelineDeps
  chooseModel: ChooseModel
  /**
   * Reserves the plan's whole worst case before the first step (a 402 refuses the plan with no
   * upstream call); its step gate replaces the pipeline's per-call gate for the steps, so each step
   * is one ledger row `<plan>_s<n>` charged from this hold, and nothing is held twice. Absent (unit
   * wiring without accounts): each step is held and charged by the pipeline's own gate.
   */
  reserve?: ReservePlan
}

const templateOverheadTokens = 1024

/** POST /v1/plan: choose the lineup, price the worst case, run the mode, shape the answer, account every step. */
export async function handlePlan(request: PlanRequest, context: RequestContext, deps: PlanDeps): Promise<PipelineOutcome> {
  const lineup = resolvePlanLineup(request, deps.chooseModel, context.apiKey?.allowedModels)
  const worstCaseMicros = planWorstCaseMicros({
    mode: request.mode,
    iterations: request.iterations,
    returnPlanOnly: request.returnPlanOnly,
    promptTokens: promptTokenBound(request.messages),
    maxTokensPerStep: request.maxTokensPerStep,
    overheadTokens:
      templateOverheadTokens +
      new TextEncoder().encode(request.outputFormat == null ? '' : (formatInstruction(request.outputFormat) ?? '')).length,
    maxRepairs: request.outputFormat?.type === 'json' || request.outputFormat?.type === 'xml' ? request.outputFormat.maxRepairs : 0,
    lineup,
  })
  const models = [lineup.primary, lineup.review, lineup.judge, ...(lineup.voters ?? [])].filter(
    (model): model is NonNullable<typeof model> => model != null,
  )
  const reservation = await deps.reserve?.({ requestId: context.requestId, apiKey: context.apiKey, worstCaseMicros, models })
  const headers = { 'x-switchyard-plan-worst-case-usd': microsToUsd(worstCaseMicros).toFixed(6) }
  const spend = reservation?.stepSpend ?? deps.pipeline.spend
  const stepDeps: PipelineDeps = { ...deps.pipeline, ...(spend == null ? {} : { spend }) }
  const execute = async (emit: ((event: PlanEvent) => void) | undefined) => {
    const runner = createPlanStepRunner({ planContext: context, deps: stepDeps, maxTokensPerStep: request.maxTokensPerStep, emit })
    try {
      return await executePlan({ request, context, deps, lineup, runner, worstCaseMicros })
    } finally {
      // Every step has settled (its ledger row is queued) by now: the rest of the hold goes back.
      reservation?.release()
      // The rate limiter's ticket: the plan is one request, with every step's tokens.
      context.onFinish?.finish(runner.steps.reduce((sum, step) => sum + step.row.inputTokens + step.row.outputTokens, 0))
    }
  }
  if (!request.stream) {
    const body = await execute(undefined)
    return {
      kind: 'json',
      body,
      headers: {
        ...headers,
        'x-switchyard-model': body.negotiated_model,
        'x-switchyard-route-reason': body.routing_reason,
        'x-switchyard-cost-usd': body.usage.cost.toFixed(6),
        'x-switchyard-plan-steps': String(body.steps.length),
      },
    }
  }
  return { kind: 'stream', body: streamPlan(execute, context, deps.pipeline), headers }
}

type PlanBody = Awaited<ReturnType<typeof executePlan>>

async function executePlan(options: {
  request: PlanRequest
  context: RequestContext
  deps: PlanDeps
  lineup: ModeInput['lineup']
  runner: ReturnType<typeof createPlanStepRunner>
  worstCaseMicros: number
}) {
  const { request, context, deps, lineup, runner } = options
  const format = request.outputFormat
  const input: ModeInput = {
    messages: request.messages,
    userText: request.messages
      .filter((message) => message.role === 'user')
      .map((message) =>
        typeof message.content === 'string'
          ? message.content
          : message.content.map((part) => ('text' in part ? String(part.text) : '')).join(''),
      )
      .join('\n'),
    iterations: request.iterations,
    returnPlanOnly: request.returnPlanOnly,
    lineup,
    format,
    runStep: runner.run,
  }
  const result = await runMode(request, input)
  let output = result.final.content
  let outputParsed: unknown
  let final: SucceededStep = result.final
  if (format != null) {
    // Repairs go to the model whose answer is being repaired.
    const candidates = [lineup.primary, lineup.review, lineup.judge, ...(lineup.voters ?? [])]
    const model = candidates.find((candidate) => candidate?.id === result.final.model) ?? lineup.primary
    const shaped = await shapeWithRepairs<SucceededStep>({
      format,
      messages: result.final.messages,
      first: result.final,
      async ask(messages) {
        const repair = await runner.run({ role: 'repair', model, messages })
        if (!repair.ok) throw repair.error
        final = repair
        return repair
      },
    })
    if (!shaped.ok) {
      const totals = sumSteps(runner.steps)
      throw new GatewayError(
        'output_validation_failed',
        `The plan's answer did not match output_format (${format.type}): ${shaped.errors.slice(0, 3).join('; ')}`,
        {
          param: 'output_format',
          details: {
            validation_errors: shaped.errors,
            last_output: shaped.lastOutput,
            usage: totals,
            steps: runner.steps.map(summarizeStep),
          },
        },
      )
    }
    output = shaped.content
    outputParsed = shaped.value
  }
  const usage = sumSteps(runner.steps)
  const pipeline = deps.pipeline
  pipeline.requestLog.record(
    buildLogRow({
      context,
      finishedAt: pipeline.now(),
      model: final.model,
      provider: final.row.provider,
      status: 200,
      errorCode: null,
      stream: request.stream,
      // The money is on the step rows; the plan's own row carries none, so sums never count twice.
      usage: undefined,
      costMicros: 0,
      ttftMs: null,
    }),
  )
  return {
    id: context.requestId,
    object: 'plan' as const,
    created: Math.floor(context.startedAt / 1000),
    mode: request.mode,
    negotiated_model: final.model,
    routing_reason: result.routingReason,
    estimated_cost_usd: usage.cost,
    worst_case_cost_usd: microsToUsd(options.worstCaseMicros),
    output,
    ...(outputParsed === undefined ? {} : { output_parsed: outputParsed }),
    response: result.response,
    usage,
    steps: runner.steps.map(summarizeStep),
  }
}

function runMode(request: PlanRequest, input: ModeInput): Promise<ModeResult> {
  switch (request.mode) {
    case 'planning':
      return runPlanningMode(input)
    case 'adversarial':
      return runAdversarialMode(input)
    case 'vote':
      return runVoteMode(input)
    case 'refine':
      return runRefineMode(input)
  }
}

/** The plan's usage: every step's row added, cost from the integer micro-dollars. */
function sumSteps(steps: readonly PlanStep[]): CompletionUsage & { cost: number; cost_micros: number } {
  let prompt = 0
  let completion = 0
  let cached = 0
  let reasoning = 0
  let micros = 0
  for (const { row } of steps) {
    prompt += row.inputTokens
    completion += row.outputTokens
    cached += row.cachedInputTokens
    reasoning += row.reasoningTokens
    micros += row.costMicros
  }
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: cached },
    completion_tokens_details: { reasoning_tokens: reasoning },
    cost: microsToUsd(micros),
    cost_micros: micros,
  }
}

/**
 * The streaming plan: `step_started`, `step_delta`, `step_finished` per step as they happen, then
 * `plan_finished` with the same body a non-streaming plan returns, or `error` with the OpenAI
 * error envelope. The plan's own log row is written either way.
 */
function streamPlan(
  execute: (emit: (event: PlanEvent) => void) => Promise<PlanBody>,
  context: RequestContext,
  pipeline: PipelineDeps,
): ReadableStream<Uint8Array> {
  let closed = false
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (name: string, data: unknown) => {
        if (!closed) controller.enqueue(encodeSseEvent(name, data))
      }
      void execute((event) => send(event.event, event.data))
        .then((body) => send('plan_finished', body))
        .catch((thrown: unknown) => {
          const error = isGatewayError(thrown) ? thrown : new GatewayError('internal_error', 'The plan failed unexpectedly.')
          send('error', renderErrorBody(error))
          pipeline.requestLog.record(
            buildLogRow({
              context,
              finishedAt: pipeline.now(),
              model: null,
              provider: null,
              status: error.status,
              errorCode: error.code,
              stream: true,
              usage: undefined,
              costMicros: 0,
              ttftMs: null,
            }),
          )
        })
        .finally(() => {
          if (!closed) controller.close()
          closed = true
        })
    },
    cancel() {
      closed = true
    },
  })
}
