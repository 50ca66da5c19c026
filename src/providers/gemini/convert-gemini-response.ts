import { GatewayError } from '../../errors/gateway-error.ts'
import type { ChatCompletion } from '../../protocol/openai-chat-types.ts'
import type { ChatResult, StreamContext } from '../provider-adapter.ts'
import { toCompletionUsage } from '../to-completion-usage.ts'
import { convertGeminiErrorBody } from './convert-gemini-error-body.ts'
import { convertGeminiUsage } from './convert-gemini-usage.ts'
import { type GeminiCandidate, geminiResponseSchema } from './gemini-response-schema.ts'
import { mapGeminiFinishReason } from './map-gemini-finish-reason.ts'
import { readGeminiParts } from './read-gemini-parts.ts'
import { synthesizeToolCallId } from './synthesize-tool-call-id.ts'

type Choice = ChatCompletion['choices'][number]

/** Converts a Gemini `GenerateContentResponse` to an OpenAI chat completion plus normalised usage. */
export function convertGeminiResponse(body: unknown, context: StreamContext): ChatResult {
  const parsed = geminiResponseSchema.safeParse(body)
  if (!parsed.success) {
    throw new GatewayError('upstream_error', 'Gemini returned a response the gateway could not read', {
      cause: parsed.error,
    })
  }
  const response = parsed.data
  if (response.error != null) throw convertGeminiErrorBody(response.error)

  const candidates = response.candidates ?? []
  const choices = candidates.map((candidate, position) => convertCandidate(candidate, position, context))
  // A blocked prompt comes back with no candidates and a `promptFeedback.blockReason`.
  if (choices.length === 0) {
    const blocked = response.promptFeedback?.blockReason != null
    choices.push({
      index: 0,
      message: { role: 'assistant', content: null },
      finish_reason: blocked ? 'content_filter' : 'stop',
    })
  }
  const usage = convertGeminiUsage(response.usageMetadata)
  const completion: ChatCompletion = {
    id: context.id,
    object: 'chat.completion',
    created: context.created,
    model: context.model,
    choices,
  }
  if (usage != null) completion.usage = toCompletionUsage(usage)
  return { completion, usage }
}

function convertCandidate(candidate: GeminiCandidate, position: number, context: StreamContext): Choice {
  const choiceIndex = candidate.index ?? position
  const content = readGeminiParts(candidate.content?.parts)
  const toolCalls = content.functionCalls.map((call, callIndex) => ({
    id: synthesizeToolCallId({ completionId: context.id, choiceIndex, callIndex }),
    type: 'function' as const,
    function: call,
  }))
  const message: Choice['message'] = {
    role: 'assistant',
    content: content.text === '' ? null : content.text,
  }
  if (content.reasoning !== '') message.reasoning_content = content.reasoning
  if (toolCalls.length > 0) message.tool_calls = toolCalls
  return {
    index: choiceIndex,
    message,
    finish_reason: mapGeminiFinishReason(candidate.finishReason, toolCalls.length > 0),
  }
}
