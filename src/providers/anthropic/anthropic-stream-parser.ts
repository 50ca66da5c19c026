import { GatewayError } from '../../errors/gateway-error.ts'
import type { ChatCompletionChunk, FinishReason } from '../../protocol/openai-chat-types.ts'
import type { StreamContext, StreamParser, UpstreamEvent, Usage } from '../provider-adapter.ts'
import { type AnthropicStreamEvent, type AnthropicUsage, anthropicStreamEventSchema } from './anthropic-api-schema.ts'
import { convertAnthropicUsage } from './convert-anthropic-usage.ts'
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.ts'

type Delta = ChatCompletionChunk['choices'][number]['delta']

type ToolBlock = { toolCallIndex: number; receivedArguments: boolean }

/**
 * Anthropic SSE events → OpenAI chunks. Notes on the choices made:
 * - `message_start` emits nothing: `role: 'assistant'` rides on the first real chunk, so the
 *   pipeline can still fail over if the upstream errors before producing any content.
 * - Tool-call `index` counts tool calls from 0; Anthropic's block index also counts text and
 *   thinking blocks, which OpenAI clients would see as gaps.
 * - `message_delta` usage is cumulative, so it replaces (never adds to) what we hold.
 * - The finish chunk is sent on `message_stop` (a stream may carry several `message_delta`s).
 */
export function createAnthropicStreamParser(context: StreamContext): StreamParser {
  let roleSent = false
  let finishSent = false
  let finishReason: FinishReason | undefined
  let rawUsage: AnthropicUsage | undefined
  let toolCallCount = 0
  const toolBlocks = new Map<number, ToolBlock>()

  function buildChunk(delta: Delta, chunkFinishReason: FinishReason | null = null): ChatCompletionChunk {
    const fullDelta: Delta = roleSent ? delta : { role: 'assistant', ...delta }
    roleSent = true
    return {
      id: context.id,
      object: 'chat.completion.chunk',
      created: context.created,
      model: context.model,
      choices: [{ index: 0, delta: fullDelta, finish_reason: chunkFinishReason }],
    }
  }

  function finish(): ChatCompletionChunk[] {
    if (finishSent) return []
    finishSent = true
    finishReason ??= 'stop'
    return [buildChunk({}, finishReason)]
  }

  function mergeUsage(update: AnthropicUsage | null | undefined): void {
    if (update == null) return
    const previous: AnthropicUsage = rawUsage ?? {}
    rawUsage = {
      input_tokens: update.input_tokens ?? previous.input_tokens,
      output_tokens: update.output_tokens ?? previous.output_tokens,
      cache_read_input_tokens: update.cache_read_input_tokens ?? previous.cache_read_input_tokens,
      cache_creation_input_tokens: update.cache_creation_input_tokens ?? previous.cache_creation_input_tokens,
      output_tokens_details: update.output_tokens_details ?? previous.output_tokens_details,
    }
  }

  function onBlockStart(event: AnthropicStreamEvent): ChatCompletionChunk[] {
    const block = event.content_block
    if (block == null || event.index == null) return []
    if (block.type === 'tool_use' && block.id != null && block.name != null) {
      const toolCallIndex = toolCallCount++
      toolBlocks.set(event.index, { toolCallIndex, receivedArguments: false })
      const start = { index: toolCallIndex, id: block.id, type: 'function' as const }
      return [buildChunk({ tool_calls: [{ ...start, function: { name: block.name, arguments: '' } }] })]
    }
    if (block.type === 'text' && block.text != null && block.text !== '') return [buildChunk({ content: block.text })]
    if (block.type === 'thinking' && block.thinking != null && block.thinking !== '') {
      return [buildChunk({ reasoning_content: block.thinking })]
    }
    return []
  }

  function onBlockDelta(event: AnthropicStreamEvent): ChatCompletionChunk[] {
    const delta = event.delta
    if (delta == null) return []
    if (delta.type === 'text_delta' && delta.text != null && delta.text !== '') return [buildChunk({ content: delta.text })]
    if (delta.type === 'thinking_delta' && delta.thinking != null && delta.thinking !== '') {
      return [buildChunk({ reasoning_content: delta.thinking })]
    }
    const toolBlock = event.index == null ? undefined : toolBlocks.get(event.index)
    if (delta.type === 'input_json_delta' && toolBlock != null && delta.partial_json != null) {
      // The first fragment is often "": nothing to tell the client yet.
      if (delta.partial_json === '') return []
      toolBlock.receivedArguments = true
      return [buildChunk({ tool_calls: [{ index: toolBlock.toolCallIndex, function: { arguments: delta.partial_json } }] })]
    }
    return []
  }

  /** A tool called without arguments streams none; OpenAI clients JSON.parse them, so send `{}`. */
  function onBlockStop(event: AnthropicStreamEvent): ChatCompletionChunk[] {
    const toolBlock = event.index == null ? undefined : toolBlocks.get(event.index)
    if (toolBlock == null || toolBlock.receivedArguments) return []
    toolBlock.receivedArguments = true
    return [buildChunk({ tool_calls: [{ index: toolBlock.toolCallIndex, function: { arguments: '{}' } }] })]
  }

  return {
    onEvent(upstreamEvent: UpstreamEvent): ChatCompletionChunk[] {
      const event = parseEvent(upstreamEvent)
      switch (event.type) {
        case 'message_start':
          mergeUsage(event.message?.usage)
          return []
        case 'content_block_start':
          return onBlockStart(event)
        case 'content_block_delta':
          return onBlockDelta(event)
        case 'content_block_stop':
          return onBlockStop(event)
        case 'message_delta':
          mergeUsage(event.usage)
          if (event.delta?.stop_reason != null) finishReason = mapAnthropicStopReason(event.delta.stop_reason)
          return []
        case 'message_stop':
          return finish()
        case 'error':
          throw streamError(event)
        default:
          // `ping` and event types newer than this adapter.
          return []
      }
    },
    onEnd(): ChatCompletionChunk[] {
      // Without message_stop but with a stop reason the answer is complete; without either the
      // stream was cut, and inventing a finish reason would hide that from the pipeline.
      return finishReason != null ? finish() : []
    },
    usage(): Usage | undefined {
      return rawUsage == null ? undefined : convertAnthropicUsage(rawUsage)
    },
    finishReason(): FinishReason | undefined {
      return finishReason
    },
  }
}

function parseEvent(upstreamEvent: UpstreamEvent): AnthropicStreamEvent {
  let json: unknown
  try {
    json = JSON.parse(upstreamEvent.data)
  } catch (error) {
    // `ping` and friends always carry JSON; a non-JSON frame means the stream is corrupt.
    throw new GatewayError('upstream_error', 'Anthropic sent a stream event the gateway could not read.', {
      cause: error,
    })
  }
  const parsed = anthropicStreamEventSchema.safeParse(json)
  if (parsed.success) return parsed.data
  // Data without a usable `type`: fall back to the SSE event name, which Anthropic always sends.
  return { type: upstreamEvent.event ?? 'unknown' }
}

/** `event: error` mid-stream: overloaded is worth retrying elsewhere, anything else is a failure. */
function streamError(event: AnthropicStreamEvent): GatewayError {
  const type = event.error?.type
  const message = event.error?.message ?? 'Anthropic reported an error mid-stream.'
  if (type === 'overloaded_error') {
    return new GatewayError('upstream_unavailable', `Anthropic is overloaded: ${message}`)
  }
  return new GatewayError('upstream_error', `Anthropic stream failed (${type ?? 'unknown error'}): ${message}`)
}
