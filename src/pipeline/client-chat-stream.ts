import { GatewayError, renderErrorBody } from '../errors/gateway-error.ts'
import type { ChatCompletionChunk } from '../protocol/openai-chat-types.ts'
import type { Usage } from '../providers/provider-adapter.ts'
import { encodeSseData, sseDoneFrame } from '../sse/encode-sse.ts'
import type { CommittedChat } from './attempt-chat.ts'
import { ClientAbortedError } from './send-upstream.ts'

export type StreamEnd = {
  outcome: 'completed' | 'failed' | 'aborted'
  usage: Usage | undefined
  /** Characters of content delivered to the client, for estimating an aborted stream's usage. */
  deliveredCharacters: number
  error: GatewayError | undefined
}

/**
 * The client's SSE body. Pulls upstream events only as fast as the client reads, drops upstream
 * usage chunks (usage is reported once, by us, with cost, and only if the client asked), and calls
 * `onEnd` exactly once: on completion, on an upstream failure (sent as an error event, never a
 * spliced answer) or when the client goes away (the upstream request is aborted at once).
 */
export function createClientChatStream(options: {
  committed: Extract<CommittedChat, { kind: 'stream' }>
  /** Builds the final usage chunk when the client asked for `include_usage`; undefined otherwise. */
  usageChunk: ((usage: Usage | undefined, deliveredCharacters: number) => ChatCompletionChunk) | undefined
  onEnd: (end: StreamEnd) => void
  /** Re-shapes each chunk for the client's protocol (legacy completions); identity by default. */
  present?: (chunk: ChatCompletionChunk) => unknown
}): ReadableStream<Uint8Array> {
  const present = options.present ?? ((chunk: ChatCompletionChunk) => chunk)
  const { committed } = options
  const { parser, events, call } = committed
  let deliveredCharacters = 0
  let ended = false

  function end(outcome: StreamEnd['outcome'], error?: GatewayError) {
    if (ended) return
    ended = true
    call.abort()
    options.onEnd({ outcome, usage: parser.usage(), deliveredCharacters, error })
  }

  function enqueueChunks(controller: ReadableStreamDefaultController<Uint8Array>, chunks: ChatCompletionChunk[]): number {
    let sent = 0
    for (const chunk of chunks) {
      if (chunk.usage != null) delete chunk.usage
      if (chunk.choices.length === 0) continue
      for (const choice of chunk.choices) {
        deliveredCharacters += (choice.delta.content?.length ?? 0) + (choice.delta.reasoning_content?.length ?? 0)
        for (const toolCall of choice.delta.tool_calls ?? []) deliveredCharacters += toolCall.function?.arguments?.length ?? 0
      }
      controller.enqueue(encodeSseData(present(chunk)))
      sent++
    }
    return sent
  }

  return new ReadableStream<Uint8Array>({
    start(controller) {
      enqueueChunks(controller, committed.firstChunks)
    },
    async pull(controller) {
      try {
        while (true) {
          const next = await events.next()
          if (next.done === true) {
            enqueueChunks(controller, parser.onEnd())
            if (options.usageChunk != null)
              controller.enqueue(encodeSseData(present(options.usageChunk(parser.usage(), deliveredCharacters))))
            controller.enqueue(sseDoneFrame)
            controller.close()
            end('completed')
            return
          }
          if (enqueueChunks(controller, parser.onEvent(next.value)) > 0) return
        }
      } catch (error) {
        if (ended || error instanceof ClientAbortedError) return
        const failure =
          error instanceof GatewayError
            ? error
            : new GatewayError('upstream_error', `The provider's stream broke off: ${(error as Error).message}`, { cause: error })
        controller.enqueue(encodeSseData(renderErrorBody(failure)))
        controller.close()
        end('failed', failure)
      }
    },
    cancel() {
      end('aborted')
    },
  })
}
