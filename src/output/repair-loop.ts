import type { ChatMessage } from '../protocol/openai-chat-types.ts'
import { repairInstruction } from './format-instructions.ts'
import type { OutputFormat } from './output-format.ts'
import { shapeOutput } from './shape-output.ts'

export type RepairOutcome<Answer> =
  | { ok: true; content: string; value: unknown; answers: Answer[] }
  | { ok: false; errors: string[]; lastOutput: string; answers: Answer[] }

/**
 * Shapes the first answer; while it fails and rounds remain, sends the model its own answer and
 * the errors, and shapes the reply. `ask` does the I/O (and its accounting); this stays pure
 * orchestration. TokenHub had no repair loop: one bad answer was a 502.
 */
export async function shapeWithRepairs<Answer extends { content: string }>(options: {
  format: OutputFormat
  /** The conversation that produced `first`. */
  messages: readonly ChatMessage[]
  first: Answer
  ask: (messages: ChatMessage[], round: number) => Promise<Answer>
}): Promise<RepairOutcome<Answer>> {
  const { format } = options
  const answers = [options.first]
  let conversation = [...options.messages]
  let current = options.first
  for (let round = 0; ; round++) {
    const shaped = shapeOutput(current.content, format)
    if (shaped.ok) return { ok: true, content: shaped.content, value: shaped.value, answers }
    if (round >= format.maxRepairs) return { ok: false, errors: shaped.errors, lastOutput: current.content, answers }
    conversation = [
      ...conversation,
      { role: 'assistant', content: current.content },
      { role: 'user', content: repairInstruction(format, shaped.errors) },
    ]
    current = await options.ask(conversation, round + 1)
    answers.push(current)
  }
}
