import { z } from 'zod'
import { GatewayError } from '../errors/gateway-error.ts'
import { compileSchemaParam, type OutputFormat, parseOutputFormat } from '../output/output-format.ts'
import type { ChatMessage } from '../protocol/openai-chat-types.ts'
import { chatRequestSchema } from '../protocol/parse-chat-request.ts'
import { validationError } from '../protocol/validation-error.ts'

export type PlanMode = 'planning' | 'adversarial' | 'vote' | 'refine'

export type PlanRequest = {
  messages: ChatMessage[]
  mode: PlanMode
  /** adversarial: critique+refine rounds (default 1); refine: improvement rounds (default 2); vote: voters (default 3, at least 2). */
  iterations: number
  primaryModelId: string | undefined
  reviewModelId: string | undefined
  primaryMinWeight: number | undefined
  reviewMinWeight: number | undefined
  returnPlanOnly: boolean
  /** Sent as `max_tokens` on every step, so the plan's worst-case cost is a real bound. */
  maxTokensPerStep: number
  outputFormat: OutputFormat | undefined
  stream: boolean
}

export const defaultMaxTokensPerStep = 4096
const modes = ['planning', 'adversarial', 'vote', 'refine'] as const
const weight = z.number().min(0).max(10)

export const planBodySchema = z.looseObject({
  request: z.looseObject({ messages: chatRequestSchema.shape.messages, stream: z.boolean().optional() }),
  orchestration: z
    .strictObject({
      mode: z.string().optional(),
      iterations: z
        .number()
        .int('must be a whole number')
        .min(0, 'must be between 0 and 10')
        .max(10, 'must be between 0 and 10')
        .optional(),
      primary_model_id: z.string().min(1).optional(),
      review_model_id: z.string().min(1).optional(),
      primary_min_weight: weight.optional(),
      review_min_weight: weight.optional(),
      return_plan_only: z.boolean().optional(),
      output_schema: z.unknown().optional(),
      max_tokens_per_step: z.number().int().min(1).max(1_000_000).optional(),
    })
    .optional(),
  output_format: z.unknown().optional(),
  stream: z.boolean().optional(),
})

/** Validates a /v1/plan body; every mistake is a 400 naming its field, before any model is called. */
export function parsePlanRequest(body: unknown, options: { defaultMaxRepairs: number }): PlanRequest {
  const parsed = planBodySchema.safeParse(body)
  if (!parsed.success) throw validationError(parsed.error)
  const { request, orchestration = {}, output_format, stream } = parsed.data
  const modeText = orchestration.mode ?? ''
  const mode: PlanMode | undefined = modeText === '' ? 'planning' : modes.find((known) => known === modeText)
  if (mode == null) {
    throw new GatewayError('invalid_request', `Unknown orchestration mode \`${modeText}\`; use one of ${modes.join(', ')}.`, {
      param: 'orchestration.mode',
    })
  }
  let outputFormat = parseOutputFormat(output_format, { param: 'output_format', defaultMaxRepairs: options.defaultMaxRepairs })
  if (orchestration.output_schema != null) {
    // TokenHub's `orchestration.output_schema` is a JSON-output request with that schema.
    const schema = compileSchemaParam(orchestration.output_schema, 'orchestration.output_schema')
    if (outputFormat?.schema != null) {
      throw new GatewayError('invalid_request', 'Give the schema once: `output_format.schema` or `orchestration.output_schema`.', {
        param: 'orchestration.output_schema',
      })
    }
    if (outputFormat != null && outputFormat.type !== 'json' && outputFormat.type !== 'none') {
      throw new GatewayError('invalid_request', '`orchestration.output_schema` needs `output_format.type` to be `json`.', {
        param: 'orchestration.output_schema',
      })
    }
    outputFormat = {
      ...(outputFormat ?? { rootElement: undefined, stripThink: false, maxTokens: undefined, maxRepairs: options.defaultMaxRepairs }),
      type: 'json',
      schema,
    }
  }
  return {
    messages: request.messages as ChatMessage[],
    mode,
    iterations: orchestration.iterations ?? (mode === 'refine' ? 2 : mode === 'vote' ? 3 : 1),
    primaryModelId: orchestration.primary_model_id,
    reviewModelId: orchestration.review_model_id,
    primaryMinWeight: orchestration.primary_min_weight,
    reviewMinWeight: orchestration.review_min_weight,
    returnPlanOnly: orchestration.return_plan_only ?? false,
    maxTokensPerStep: orchestration.max_tokens_per_step ?? outputFormat?.maxTokens ?? defaultMaxTokensPerStep,
    outputFormat: outputFormat?.type === 'none' && !outputFormat.stripThink ? undefined : outputFormat,
    // TokenHub puts `stream` inside `request`; either place works.
    stream: stream ?? request.stream ?? false,
  }
}
