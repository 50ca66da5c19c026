import type { ModeInput, ModeResult, SucceededStep } from './plan-mode-types.ts'
import { improverSystemPrompt, improveUserMessage } from './prompts/plan-prompts.ts'

/**
 * One model answers, then improves its own answer for `iterations` rounds. A round that fails
 * (an upstream error, or an empty answer) is skipped and the best answer so far is kept; the
 * next round improves that one. Every round's fate is reported.
 */
export async function runRefineMode(input: ModeInput): Promise<ModeResult> {
  const model = input.lineup.primary
  const first = await input.runStep({ role: 'answer', model, messages: input.messages, format: input.format })
  if (!first.ok) throw first.error
  let best: SucceededStep = first
  const rounds: Array<{ round: number; step: number; kept: boolean; error?: string }> = []
  for (let round = 1; round <= input.iterations; round++) {
    const step = await input.runStep({
      role: 'improve',
      model,
      messages: [
        { role: 'system', content: improverSystemPrompt },
        { role: 'user', content: improveUserMessage(input.userText, best.content) },
      ],
      format: input.format,
    })
    if (step.ok && step.content.trim() !== '') {
      best = step
      rounds.push({ round, step: step.index, kept: true })
    } else {
      rounds.push({ round, step: step.index, kept: false, error: step.ok ? 'empty answer' : `${step.error.code}: ${step.error.message}` })
    }
  }
  return {
    response: { refined_response: best.content, iterations: input.iterations, model: model.id, rounds },
    final: best,
    routingReason: 'refine-orchestration',
  }
}
