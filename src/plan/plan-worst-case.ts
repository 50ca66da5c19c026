import type { ModelPricing } from '../catalog/catalog-types.ts'
import type { PlanMode } from './parse-plan-request.ts'

/** The models a plan will call, chosen before it starts (only what pricing needs). */
export type PricedModel = { id: string; pricing: ModelPricing | undefined }
export type PlanLineup = { primary: PricedModel; review?: PricedModel; voters?: readonly PricedModel[]; judge?: PricedModel }

export type StepBudget = { role: string; model: string; inputTokens: number; outputTokens: number; costMicros: number }

export type WorstCaseInput = {
  mode: PlanMode
  iterations: number
  returnPlanOnly: boolean
  /** Upper bound of the request's own tokens: its UTF-8 byte count (a byte-level BPE token is at least one byte). */
  promptTokens: number
  /** Every step is sent with this `max_tokens`, so no answer is longer. */
  maxTokensPerStep: number
  /** Our templates and format instructions per step (include the JSON Schema's size). */
  overheadTokens: number
  /** Repair rounds allowed on the final answer (0 without a json/xml output format). */
  maxRepairs: number
  lineup: PlanLineup
}

/**
 * The most a plan can cost, in integer micro-dollars, computed before any step runs so the whole
 * plan can be reserved against a balance: every step at its `max_tokens`, every earlier answer it
 * reads counted at twice that (another model's tokenizer may split it finer), every repair round
 * used, each step's cost rounded up. Pure: the lineup comes from the same model chooser the plan
 * then uses.
 */
export function planWorstCaseMicros(input: WorstCaseInput): number {
  return planStepBudgets(input).reduce((total, step) => total + step.costMicros, 0)
}

export function planStepBudgets(input: WorstCaseInput): StepBudget[] {
  const { lineup, maxTokensPerStep: answer } = input
  const reread = 2 * answer
  const base = input.promptTokens + input.overheadTokens
  const steps: StepBudget[] = []
  const add = (role: string, model: PricedModel, inputTokens: number) => {
    steps.push({
      role,
      model: model.id,
      inputTokens,
      outputTokens: answer,
      costMicros: stepCeilingMicros(model.pricing, inputTokens, answer),
    })
  }
  let finalModel = lineup.primary
  let finalInput = base
  switch (input.mode) {
    case 'planning':
      add('plan', lineup.primary, base)
      break
    case 'adversarial': {
      add('plan', lineup.primary, base)
      if (input.returnPlanOnly) break
      const review = lineup.review ?? lineup.primary
      for (let round = 0; round < input.iterations; round++) {
        add('critique', review, base + reread)
        add('refine', lineup.primary, base + 2 * reread)
        finalInput = base + 2 * reread
      }
      break
    }
    case 'vote': {
      const voters = lineup.voters ?? [lineup.primary]
      for (const voter of voters) add('voter', voter, base)
      if (voters.length >= 2 && lineup.judge != null) add('judge', lineup.judge, base + voters.length * reread)
      // The winner is not known in advance: its repairs are priced at the dearest voter.
      finalModel = voters.reduce(
        (dearest, voter) => (priceWeight(voter) > priceWeight(dearest) ? voter : dearest),
        voters[0] ?? lineup.primary,
      )
      break
    }
    case 'refine':
      add('answer', lineup.primary, base)
      for (let round = 0; round < input.iterations; round++) add('improve', lineup.primary, base + reread)
      if (input.iterations > 0) finalInput = base + reread
      break
  }
  for (let round = 1; round <= input.maxRepairs; round++) add('repair', finalModel, finalInput + round * (reread + input.overheadTokens))
  return steps
}

/** One call's most: input at the dearer of the plain and cache-write prices, rounded up. */
function stepCeilingMicros(pricing: ModelPricing | undefined, inputTokens: number, outputTokens: number): number {
  if (pricing == null) return 0
  const inputPrice = Math.max(pricing.inputPerMillion, pricing.cacheWritePerMillion)
  return Math.ceil((inputTokens * inputPrice + outputTokens * pricing.outputPerMillion) / 1_000_000)
}

function priceWeight(model: PricedModel): number {
  return (model.pricing?.inputPerMillion ?? 0) + (model.pricing?.outputPerMillion ?? 0)
}

/** The prompt's token bound used by the worst case: UTF-8 bytes of every message's text. */
export function promptTokenBound(messages: readonly { content?: unknown }[]): number {
  return new TextEncoder().encode(JSON.stringify(messages.map((message) => message.content ?? ''))).length
}
