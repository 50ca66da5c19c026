import type { ModeInput, ModeResult, SucceededStep } from './plan-mode-types.ts'
import {
  criticSystemPrompt,
  critiqueUserMessage,
  plannerSystemPrompt,
  refinerSystemPrompt,
  refineUserMessage,
} from './prompts/plan-prompts.ts'

/**
 * Plan → critique (by the review model) → refine (by the primary), `iterations` rounds; each
 * refinement is the next round's proposal. A failed critique or refinement ends the rounds and
 * keeps the last good plan (reported in `failed_steps`); only a failed first plan fails the request.
 */
export async function runAdversarialMode(input: ModeInput): Promise<ModeResult> {
  const { lineup, userText } = input
  const planOnly = input.returnPlanOnly || input.iterations === 0
  const initial = await input.runStep({
    role: 'plan',
    model: lineup.primary,
    messages: [{ role: 'system', content: plannerSystemPrompt }, ...input.messages],
    format: planOnly ? input.format : undefined,
  })
  if (!initial.ok) throw initial.error
  if (input.returnPlanOnly) return { response: { initial_plan: initial.content }, final: initial, routingReason: 'adversarial-plan-only' }
  const critiques: string[] = []
  const failedSteps: number[] = []
  let current: SucceededStep = initial
  for (let round = 0; round < input.iterations; round++) {
    const critique = await input.runStep({
      role: 'critique',
      model: lineup.review ?? lineup.primary,
      messages: [
        { role: 'system', content: criticSystemPrompt },
        { role: 'user', content: critiqueUserMessage(userText, current.content) },
      ],
    })
    if (!critique.ok) {
      failedSteps.push(critique.index)
      break
    }
    critiques.push(critique.content)
    const refined = await input.runStep({
      role: 'refine',
      model: lineup.primary,
      messages: [
        { role: 'system', content: refinerSystemPrompt },
        { role: 'user', content: refineUserMessage(userText, current.content, critique.content) },
      ],
      format: input.format,
    })
    if (!refined.ok) {
      failedSteps.push(refined.index)
      break
    }
    current = refined
  }
  return {
    response: {
      initial_plan: initial.content,
      critiques,
      refined_plan: current.content,
      ...(failedSteps.length > 0 ? { failed_steps: failedSteps } : {}),
    },
    final: current,
    routingReason: 'adversarial-orchestration',
  }
}
