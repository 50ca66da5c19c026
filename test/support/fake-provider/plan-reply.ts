/** The parts of a request, in any wire format, that decide the reply. */
export type Conversation = {
  /** All message text (system, user, assistant, tool results), used to count prompt tokens. */
  promptText: string
  /** Text of the last user-side turn (a user message or a tool result). */
  lastUserText: string
  /** The request offers tools and its last message is a user message mentioning `weather`. */
  wantsToolCall: boolean
}

export type PlannedReply =
  | {
      kind: 'text'
      text: string
      /** One piece per word; the pieces concatenate to `text`. */
      pieces: string[]
      promptTokens: number
      completionTokens: number
    }
  | {
      kind: 'tool-call'
      name: string
      input: Record<string, string>
      argumentsJson: string
      /** Several fragments that concatenate to `argumentsJson`. */
      argumentPieces: string[]
      promptTokens: number
      completionTokens: number
    }

const toolName = 'get_weather'
const toolInput = { city: 'Paris' }
const argumentsJson = JSON.stringify(toolInput)
const argumentPieces = ['{"ci', 'ty":', '"Par', 'is"}']
const weatherPattern = /\bweather\b/i

export function countWords(text: string): number {
  let count = 0
  for (const word of text.split(/\s+/)) if (word !== '') count += 1
  return count
}

/** Splits text into one piece per word, each carrying its leading whitespace. */
export function splitIntoWordPieces(text: string): string[] {
  const pieces = text.match(/\s*\S+|\s+$/g)
  return pieces ?? [text]
}

export function mentionsWeather(text: string): boolean {
  return weatherPattern.test(text)
}

/** Deterministic: the reply and its token counts depend only on the conversation. */
export function planReply(conversation: Conversation): PlannedReply {
  const promptTokens = countWords(conversation.promptText)
  if (conversation.wantsToolCall) {
    return {
      kind: 'tool-call',
      name: toolName,
      input: { ...toolInput },
      argumentsJson,
      argumentPieces: [...argumentPieces],
      promptTokens,
      completionTokens: countWords(`${toolName} ${argumentsJson}`),
    }
  }
  const text = `echo: ${conversation.lastUserText}`
  return {
    kind: 'text',
    text,
    pieces: splitIntoWordPieces(text),
    promptTokens,
    completionTokens: countWords(text),
  }
}
