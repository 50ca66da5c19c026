import type { ModeInput, ModeResult } from './plan-mode-types.ts'
import { plannerSystemPrompt } from './prompts/plan-prompts.ts'

/** One call under the planning policy. */
export async function runPlanningMode(input: ModeInput): Promise<ModeResult> {
  const step = await input.runStep({
    role: 'plan',
    model: input.lineup.primary,
    messages: [{ role: 'system', content: plannerSystemPrompt }, ...input.messages],
    format: input.format,
  })
  if (!step.ok) throw step.error
  return { response: { plan: step.content }, final: step, routingReason: 'planning-orchestration' }
}
