import type { ChatRequest } from './openai-chat-types.ts'

/**
 * The common chat request (a model name, text messages, the usual sampling numbers) checked by
 * hand: zod's parse copied every object of the body and cost more than anything else in request
 * validation. Returns the body itself when it is certainly valid, or undefined to let the zod
 * schema (parse-chat-request.ts) decide and word the error. It only ever accepts what that schema
 * accepts, with the same result; anything unusual (content parts, tools, response_format, stop,
 * several models...) goes to zod. Fields the schema does not know pass through, as they do there.
 */
export function acceptPlainChatRequest(body: unknown): ChatRequest | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined
  const request = body as Record<string, unknown>
  for (const key in request) {
    const value = request[key]
    if (value === null) {
      // `null` means "not set": the nullish fields drop it (stripNulls); for the others, zod decides.
      if (!nullableFields.has(key)) return undefined
      continue
    }
    switch (key) {
      case 'model':
        if (typeof value !== 'string' || value === '') return undefined
        break
      case 'messages':
        if (!arePlainMessages(value)) return undefined
        break
      case 'stream':
        if (typeof value !== 'boolean') return undefined
        break
      case 'max_tokens':
      case 'max_completion_tokens':
        if (!isWholeNumberIn(value, 1, maxTokensLimit)) return undefined
        break
      case 'temperature':
        if (!isNumberIn(value, 0, 2)) return undefined
        break
      case 'top_p':
        if (!isNumberIn(value, 0, 1)) return undefined
        break
      case 'n':
        if (!isWholeNumberIn(value, 1, 128)) return undefined
        break
      default:
        if (schemaFields.has(key)) return undefined
    }
  }
  if (typeof request.model !== 'string' || request.messages === undefined) return undefined
  for (const key in request) if (request[key] === null) delete request[key]
  return request as ChatRequest
}

const maxTokensLimit = 10_000_000
/** The schema's fields this check does not handle itself (left to zod when present). */
const schemaFields = new Set(['models', 'stream_options', 'stop', 'tools', 'tool_choice', 'response_format'])
/** The schema's `nullish` fields handled here: null is dropped. */
const nullableFields = new Set(['stream', 'max_tokens', 'max_completion_tokens', 'temperature', 'top_p', 'n'])
const textRoles = new Set(['system', 'developer', 'user', 'assistant'])

function arePlainMessages(value: unknown): boolean {
  if (!Array.isArray(value) || value.length === 0) return false
  for (const message of value) {
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return false
    const { role, content } = message as Record<string, unknown>
    if (typeof role !== 'string' || !textRoles.has(role) || typeof content !== 'string') return false
    if (role === 'assistant' && (message as Record<string, unknown>).tool_calls !== undefined) return false
  }
  return true
}

function isNumberIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && value >= min && value <= max
}

function isWholeNumberIn(value: unknown, min: number, max: number): boolean {
  return Number.isInteger(value) && (value as number) >= min && (value as number) <= max
}
