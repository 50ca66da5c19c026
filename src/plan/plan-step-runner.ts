import { type RequestUsageView, viewRequestUsage } from '../accounts/request-usage-view.ts'
import type { CatalogModel } from '../catalog/catalog-types.ts'
import type { GatewayError } from '../errors/gateway-error.ts'
import { applyOutputFormat } from '../output/apply-output-format.ts'
import type { OutputFormat } from '../output/output-format.ts'
import type { PipelineDeps, RequestContext } from '../pipeline/pipeline-types.ts'
import { runChatStep } from '../pipeline/run-chat-step.ts'
import type { ChatMessage, ChatRequest, CompletionUsage } from '../protocol/openai-chat-types.ts'
import type { RequestLogRow } from '../store/store.ts'

export type PlanStep = {
  index: number
  role: string
  model: string
  /** The messages the step sent (a repair round continues this conversation). */
  messages: ChatMessage[]
  row: RequestLogRow
} & ({ ok: true; content: string; usage: CompletionUsage } | { ok: false; error: GatewayError })

export type StepSummary = {
  index: number
  role: string
  model: string
  status: number
  error?: { code: string; message: string }
} & RequestUsageView

export type PlanEvent =
  | { event: 'step_started'; data: { index: number; role: string; model: string } }
  | { event: 'step_delta'; data: { index: number; delta: string } }
  | { event: 'step_finished'; data: StepSummary }

export type RunStep = (step: {
  role: string
  model: CatalogModel
  messages: ChatMessage[]
  format?: OutputFormat | undefined
}) => Promise<PlanStep>

const excerptLength = 500

/**
 * Runs the steps of one plan: each is its own call through the pipeline with its own request id
 * (`<plan id>_s<n>`), recorded in the request log as a row tied to the plan (parent id, index,
 * role, an excerpt of the answer), and announced as events for a streaming client. Every step,
 * failed ones included, leaves exactly one row, so the plan's cost is the sum of its rows.
 */
export function createPlanStepRunner(options: {
  planContext: RequestContext
  deps: PipelineDeps
  maxTokensPerStep: number
  /** Set when the client streams: steps stream too, and their pieces become `step_delta` events. */
  emit: ((event: PlanEvent) => void) | undefined
}): { run: RunStep; steps: PlanStep[] } {
  const { planContext, deps, emit } = options
  const steps: PlanStep[] = []
  let counter = 0
  async function run(step: Parameters<RunStep>[0]): Promise<PlanStep> {
    counter += 1
    const index = counter
    emit?.({ event: 'step_started', data: { index, role: step.role, model: step.model.id } })
    // Never more than the model can write: a larger max_tokens is a 400 from some providers.
    const maxTokens = Math.min(options.maxTokensPerStep, step.model.maxOutputTokens ?? options.maxTokensPerStep)
    const base: ChatRequest = { model: step.model.id, messages: step.messages, max_tokens: maxTokens }
    const request = step.format == null ? base : applyOutputFormat(base, step.format, step.model.capabilities)
    // The plan, not each step, finishes the rate limiter's ticket (with every step's tokens).
    const context: RequestContext = {
      ...planContext,
      requestId: `${planContext.requestId}_s${index}`,
      startedAt: deps.now(),
      onFinish: undefined,
    }
    const result = await runChatStep({
      request,
      context,
      deps,
      ...(emit == null ? {} : { onDelta: (delta: string) => emit({ event: 'step_delta', data: { index, delta } }) }),
    })
    const row: RequestLogRow = {
      ...result.row,
      parentRequestId: planContext.requestId,
      stepIndex: index,
      stepRole: step.role,
      outputExcerpt: result.ok ? result.content.slice(0, excerptLength) : null,
    }
    deps.requestLog.record(row)
    const common = { index, role: step.role, model: step.model.id, messages: request.messages, row }
    const finished: PlanStep = result.ok
      ? { ...common, ok: true, content: result.content, usage: result.usage }
      : { ...common, ok: false, error: result.error }
    steps.push(finished)
    emit?.({ event: 'step_finished', data: summarizeStep(finished) })
    return finished
  }
  return { run, steps }
}

export function summarizeStep(step: PlanStep): StepSummary {
  const { row } = step
  return {
    index: step.index,
    role: step.role,
    model: step.model,
    status: row.status,
    ...viewRequestUsage(row),
    ...(step.ok ? {} : { error: { code: step.error.code, message: step.error.message } }),
  }
}
