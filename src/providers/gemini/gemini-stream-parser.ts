import { GatewayError } from '../../errors/gateway-error.ts'
import type { ChatCompletionChunk, FinishReason } from '../../protocol/openai-chat-types.ts'
import { parseJsonSafely } from '../map-upstream-error.ts'
import type { StreamContext, StreamParser, UpstreamEvent, Usage } from '../provider-adapter.ts'
import { toCompletionUsage } from '../to-completion-usage.ts'
import { convertGeminiErrorBody } from './convert-gemini-error-body.ts'
import { convertGeminiUsage } from './convert-gemini-usage.ts'
import { type GeminiCandidate, type GeminiResponse, geminiResponseSchema } from './gemini-response-schema.ts'
import { mapGeminiFinishReason } from './map-gemini-finish-reason.ts'
import { readGeminiParts } from './read-gemini-parts.ts'
import { synthesizeToolCallId } from './synthesize-tool-call-id.ts'

type ChunkChoice = ChatCompletionChunk['choices'][number]
type ChoiceState = { started: boolean; toolCallCount: number; finishReason: FinishReason | undefined }

/**
 * Maps `streamGenerateContent?alt=sse` frames to OpenAI chunks. Every data frame is a complete
 * `GenerateContentResponse` holding only the new text, whole function calls, and the usage so far;
 * there is no `[DONE]`: the body simply ends after the frame with `finishReason`.
 */
export function createGeminiStreamParser(context: StreamContext): StreamParser {
  const choices = new Map<number, ChoiceState>()
  let latestUsage: Usage | undefined

  function stateFor(choiceIndex: number): ChoiceState {
    const existing = choices.get(choiceIndex)
    if (existing != null) return existing
    const created: ChoiceState = { started: false, toolCallCount: 0, finishReason: undefined }
    choices.set(choiceIndex, created)
    return created
  }

  function makeChunk(chunkChoices: ChunkChoice[]): ChatCompletionChunk {
    return {
      id: context.id,
      object: 'chat.completion.chunk',
      created: context.created,
      model: context.model,
      choices: chunkChoices,
    }
  }

  function convertCandidate(candidate: GeminiCandidate, position: number): ChatCompletionChunk[] {
    const choiceIndex = candidate.index ?? position
    const state = stateFor(choiceIndex)
    const content = readGeminiParts(candidate.content?.parts)
    const delta: ChunkChoice['delta'] = {}
    if (!state.started) delta.role = 'assistant'
    if (content.reasoning !== '') delta.reasoning_content = content.reasoning
    if (content.text !== '') delta.content = content.text
    if (content.functionCalls.length > 0) {
      // Gemini sends each call whole, so one delta carries id, name and the full arguments.
      delta.tool_calls = content.functionCalls.map((call) => {
        const callIndex = state.toolCallCount++
        const id = synthesizeToolCallId({ completionId: context.id, choiceIndex, callIndex })
        return { index: callIndex, id, type: 'function' as const, function: call }
      })
    }
    const chunks: ChatCompletionChunk[] = []
    if (Object.keys(delta).length > 0) {
      // OpenAI's first chunk is `{role: 'assistant', content: ''}`; keep that shape for clients
      // that read `content` from it.
      if (Object.keys(delta).length === 1 && delta.role != null) delta.content = ''
      state.started = true
      chunks.push(makeChunk([{ index: choiceIndex, delta, finish_reason: null }]))
    }
    if (candidate.finishReason != null && state.finishReason == null) {
      state.finishReason = mapGeminiFinishReason(candidate.finishReason, state.toolCallCount > 0)
      chunks.push(makeChunk([{ index: choiceIndex, delta: {}, finish_reason: state.finishReason }]))
    }
    return chunks
  }

  /** A blocked prompt streams one frame with no candidates and `promptFeedback.blockReason`. */
  function convertBlockedPrompt(): ChatCompletionChunk[] {
    const state = stateFor(0)
    if (state.finishReason != null) return []
    state.started = true
    state.finishReason = 'content_filter'
    return [
      makeChunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
      makeChunk([{ index: 0, delta: {}, finish_reason: 'content_filter' }]),
    ]
  }

  return {
    onEvent(event: UpstreamEvent): ChatCompletionChunk[] {
      if (event.data.trim() === '') return []
      const response = readFrame(event.data)
      if (response.error != null) throw convertGeminiErrorBody(response.error)
      // usageMetadata is cumulative on every frame: keep the latest, never add.
      if (response.usageMetadata != null) latestUsage = convertGeminiUsage(response.usageMetadata)
      const candidates = response.candidates ?? []
      if (candidates.length === 0 && response.promptFeedback?.blockReason != null) return convertBlockedPrompt()
      return candidates.flatMap((candidate, position) => convertCandidate(candidate, position))
    },
    onEnd(): ChatCompletionChunk[] {
      // Like OpenAI with `include_usage`: one last chunk with no choices and the request's usage.
      // The pipeline drops it when the client did not ask. A stream that ended without any
      // finishReason is left without one, so the caller can tell it was cut short.
      if (latestUsage == null) return []
      return [{ ...makeChunk([]), usage: toCompletionUsage(latestUsage) }]
    },
    usage: () => latestUsage,
    finishReason: () => choices.get(0)?.finishReason,
  }
}

function readFrame(data: string): GeminiResponse {
  const parsed = geminiResponseSchema.safeParse(parseJsonSafely(data))
  if (!parsed.success) {
    throw new GatewayError('upstream_error', 'Gemini sent a stream event the gateway could not read', {
      cause: parsed.error,
    })
  }
  return parsed.data
}
