import { isRecord, type JsonRecord } from './json-value.ts'
import { type Conversation, countWords, type PlannedReply, splitIntoWordPieces } from './plan-reply.ts'

/**
 * Per-model scripted answers, for tests that need each model to say something specific (a plan,
 * a critique, a judge's verdict, broken JSON then valid JSON). A model's list is consumed in order
 * and its last entry repeats once the list runs out. An entry may be:
 * - a string: the answer text (usage is counted in words, as for echo answers);
 * - `{ status }`: that HTTP error instead of an answer;
 * - a function of the request's messages and the call number (0-based, per model).
 * Models without a script answer `echo: ...` as before. OpenAI wire format only.
 */
export type ScriptedAnswer =
  | string
  | { status: number }
  | ((call: { messages: JsonRecord[]; index: number }) => string | { status: number })

export type ScriptBook = {
  set(model: string, answers: ScriptedAnswer | readonly ScriptedAnswer[]): void
  /** The next answer for `model`, or undefined when it has no script. */
  take(model: string, body: unknown): string | { status: number } | undefined
  clear(): void
}

export function createScriptBook(): ScriptBook {
  const scripts = new Map<string, { answers: readonly ScriptedAnswer[]; calls: number }>()
  return {
    set(model, answers) {
      scripts.set(model, { answers: Array.isArray(answers) ? answers : [answers as ScriptedAnswer], calls: 0 })
    },
    take(model, body) {
      const script = scripts.get(model)
      if (script == null || script.answers.length === 0) return undefined
      const index = script.calls
      script.calls += 1
      const entry = script.answers[Math.min(index, script.answers.length - 1)] as ScriptedAnswer
      if (typeof entry !== 'function') return entry
      const messages = isRecord(body) && Array.isArray(body.messages) ? body.messages.filter(isRecord) : []
      return entry({ messages, index })
    },
    clear() {
      scripts.clear()
    },
  }
}

/** A text reply with the scripted words, counted like every other fake reply. */
export function planScriptedReply(conversation: Conversation, text: string): PlannedReply {
  return {
    kind: 'text',
    text,
    pieces: splitIntoWordPieces(text),
    promptTokens: countWords(conversation.promptText),
    completionTokens: countWords(text),
  }
}
