import type { ToolCall } from '../../protocol/openai-chat-types.ts'
import type { GeminiPartResponse } from './gemini-response-schema.ts'

export type GeminiPartsContent = {
  text: string
  /** Text of the `thought: true` parts (thought summaries, when `includeThoughts` was asked). */
  reasoning: string
  functionCalls: Array<ToolCall['function']>
}

/** Splits a candidate's parts into answer text, thought text and function calls, in order. */
export function readGeminiParts(parts: readonly GeminiPartResponse[] | null | undefined): GeminiPartsContent {
  const content: GeminiPartsContent = { text: '', reasoning: '', functionCalls: [] }
  for (const part of parts ?? []) {
    if (part.functionCall != null) {
      content.functionCalls.push({
        name: part.functionCall.name,
        arguments: JSON.stringify(part.functionCall.args ?? {}),
      })
    } else if (part.text != null) {
      if (part.thought === true) content.reasoning += part.text
      else content.text += part.text
    }
  }
  return content
}
