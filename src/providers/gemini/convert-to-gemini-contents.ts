import { GatewayError } from '../../errors/gateway-error.ts'
import type { ChatMessage, ContentPart, ToolCall } from '../../protocol/openai-chat-types.ts'
import { convertToGeminiPart } from './convert-to-gemini-part.ts'
import type { GeminiContent, GeminiPart, GeminiRequest, GeminiRole } from './gemini-request-types.ts'

type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>
type ToolMessage = Extract<ChatMessage, { role: 'tool' }>

/**
 * Gemini 3 rejects a replayed function call without a `thoughtSignature` ("Function call is
 * missing a thought_signature"). OpenAI's format has nowhere to carry the real signature back, so
 * we send the documented placeholder that tells Gemini to skip the check for calls it did not
 * just generate. Older models ignore the field.
 */
const placeholderThoughtSignature = 'skip_thought_signature_validator'

/**
 * Converts OpenAI messages to Gemini `systemInstruction` + `contents`. System and developer
 * messages are hoisted in order (lossy if they were interleaved); `tool` messages become user
 * `functionResponse` parts; consecutive contents of the same role are merged, as Gemini expects
 * strictly alternating turns and one user turn holding all results of a parallel call.
 */
export function convertToGeminiContents(messages: ChatMessage[]): Pick<GeminiRequest, 'contents' | 'systemInstruction'> {
  const systemParts: Array<{ text: string }> = []
  const contents: GeminiContent[] = []
  // Gemini's functionResponse needs the function name, which an OpenAI tool message lacks.
  const toolNamesById = new Map<string, string>()
  messages.forEach((message, index) => {
    const param = `messages[${index}]`
    if (message.role === 'user') {
      appendContent(contents, 'user', convertContentParts(message.content, param))
    } else if (message.role === 'assistant') {
      appendContent(contents, 'model', convertAssistantMessage(message, param, toolNamesById))
    } else if (message.role === 'tool') {
      appendContent(contents, 'user', [convertToolMessage(message, param, toolNamesById)])
    } else {
      // system and developer
      const text = readText(message.content)
      if (text !== '') systemParts.push({ text })
    }
  })
  return systemParts.length > 0 ? { systemInstruction: { parts: systemParts }, contents } : { contents }
}

function appendContent(contents: GeminiContent[], role: GeminiRole, parts: GeminiPart[]): void {
  // Gemini rejects a content with no parts, so an empty message is dropped rather than sent.
  if (parts.length === 0) return
  const previous = contents.at(-1)
  if (previous?.role === role) previous.parts.push(...parts)
  else contents.push({ role, parts })
}

function convertContentParts(content: string | ContentPart[] | null | undefined, param: string): GeminiPart[] {
  if (content == null) return []
  if (typeof content === 'string') return content === '' ? [] : [{ text: content }]
  const parts: GeminiPart[] = []
  content.forEach((part, index) => {
    const converted = convertToGeminiPart(part, `${param}.content[${index}]`)
    if (converted != null) parts.push(converted)
  })
  return parts
}

function convertAssistantMessage(message: AssistantMessage, param: string, toolNamesById: Map<string, string>): GeminiPart[] {
  // `reasoning_content` is not replayed: Gemini does not accept thought text as input.
  const parts = convertContentParts(message.content, param)
  ;(message.tool_calls ?? []).forEach((toolCall, index) => {
    toolNamesById.set(toolCall.id, toolCall.function.name)
    const args = parseArguments(toolCall, `${param}.tool_calls[${index}].function.arguments`)
    const functionCall = { name: toolCall.function.name, args }
    // Only the first call of a turn carries a signature, mirroring what Gemini itself returns.
    parts.push(index === 0 ? { functionCall, thoughtSignature: placeholderThoughtSignature } : { functionCall })
  })
  return parts
}

function convertToolMessage(message: ToolMessage, param: string, toolNamesById: Map<string, string>): GeminiPart {
  const name = toolNamesById.get(message.tool_call_id)
  if (name == null) {
    throw new GatewayError('invalid_request', `${param}.tool_call_id: no earlier assistant tool call has id '${message.tool_call_id}'`, {
      param: `${param}.tool_call_id`,
    })
  }
  return { functionResponse: { name, response: { content: readText(message.content) } } }
}

/** Gemini's `args` is an object; OpenAI's `arguments` is a JSON string the model wrote. */
function parseArguments(toolCall: ToolCall, param: string): Record<string, unknown> {
  const source = toolCall.function.arguments
  // Some clients send '' for a call without parameters.
  if (source.trim() === '') return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(source)
  } catch {
    throw new GatewayError('invalid_request', `${param} is not valid JSON`, { param })
  }
  if (parsed != null && typeof parsed === 'object' && !Array.isArray(parsed)) return { ...parsed }
  throw new GatewayError('invalid_request', `${param} must encode a JSON object`, { param })
}

function readText(content: string | ContentPart[]): string {
  if (typeof content === 'string') return content
  return content
    .map((part): string => {
      const text: unknown = part.type === 'text' ? part.text : undefined
      return typeof text === 'string' ? text : ''
    })
    .join('')
}
