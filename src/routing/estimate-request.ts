import type { ChatMessage } from '../protocol/openai-chat-types.ts'

/** What routing needs to know about a request's size and needs, computed once per request. */
export type RequestEstimate = {
  inputTokens: number
  outputTokens: number
  needsTools: boolean
  needsVision: boolean
  needsJsonSchema: boolean
  /** The last user message's text: what the auto-router classifies. */
  lastUserText: string
}

/** TokenHub's default when the client sets no max_tokens. */
export const defaultOutputTokens = 512

/** ~4 characters per token: close enough to compare models and estimate a budget. */
export function estimateRequest(
  request: {
    messages: readonly ChatMessage[]
    max_tokens?: number | undefined
    max_completion_tokens?: number | undefined
    tools?: readonly unknown[] | undefined
    response_format?: { type: string } | undefined
    estimatedInputTokens?: number | undefined
  },
  estimatedInputTokens: number | undefined = request.estimatedInputTokens,
): RequestEstimate {
  let characters = 0
  let needsVision = false
  let lastUserText = ''
  for (const message of request.messages) {
    const { content } = message
    let text = ''
    if (typeof content === 'string') text = content
    else if (Array.isArray(content)) {
      for (const part of content) {
        if (part.type === 'text' && typeof part.text === 'string') text += part.text
        else if (part.type === 'image_url') needsVision = true
      }
    }
    characters += text.length
    if (message.role === 'user') lastUserText = text
  }
  return {
    inputTokens: estimatedInputTokens ?? Math.ceil(characters / 4),
    outputTokens: request.max_completion_tokens ?? request.max_tokens ?? defaultOutputTokens,
    needsTools: (request.tools?.length ?? 0) > 0,
    needsVision,
    needsJsonSchema: request.response_format?.type === 'json_schema',
    lastUserText,
  }
}

/** Estimated cost of the request on a model, in micro-dollars (not rounded: it is only compared). */
export function estimateCostMicros(
  pricing: { inputPerMillion: number; outputPerMillion: number } | undefined,
  estimate: Pick<RequestEstimate, 'inputTokens' | 'outputTokens'>,
): number {
  if (pricing == null) return 0
  return (estimate.inputTokens * pricing.inputPerMillion + estimate.outputTokens * pricing.outputPerMillion) / 1_000_000
}

/** TokenHub's prompt-size buckets for Thompson arms. */
export type SizeBucket = 'small' | 'medium' | 'large'
export function sizeBucket(inputTokens: number): SizeBucket {
  return inputTokens < 1_000 ? 'small' : inputTokens <= 10_000 ? 'medium' : 'large'
}
