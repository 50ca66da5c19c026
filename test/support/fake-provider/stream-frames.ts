import type { Exchange } from './exchange.ts'

const encoder = new TextEncoder()

export type StreamEnding =
  | { kind: 'complete' }
  /** Reset the connection after the frames; `graceMs` lets the client read them first. */
  | { kind: 'cut'; graceMs: number }
  /** Send this frame after the frames, then end normally. */
  | { kind: 'error-event'; frame: string }

/**
 * A pull-driven body: one frame per pull, so no timer runs unless `chunkDelayMs` asks for one.
 */
export function streamFrames(options: {
  frames: readonly string[]
  chunkDelayMs: number
  ending: StreamEnding
  exchange: Exchange
}): ReadableStream<Uint8Array> {
  const { frames, chunkDelayMs, ending, exchange } = options
  let index = 0
  let cancelled = false

  const finish = async (controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> => {
    exchange.settle()
    if (ending.kind === 'error-event') controller.enqueue(encoder.encode(ending.frame))
    if (ending.kind !== 'cut') {
      controller.close()
      return
    }
    await Bun.sleep(ending.graceMs)
    // Erroring the body makes Bun reset the socket: no terminating chunk, no `[DONE]`. An
    // `undefined` reason keeps Bun from printing a stack trace for an intended failure.
    if (!cancelled) controller.error(undefined)
  }

  const emit = (controller: ReadableStreamDefaultController<Uint8Array>): Promise<void> | undefined => {
    if (cancelled) return undefined
    const frame = frames[index]
    if (frame == null) return finish(controller)
    controller.enqueue(encoder.encode(frame))
    index += 1
    return index === frames.length ? finish(controller) : undefined
  }

  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (chunkDelayMs > 0 && index > 0) {
        return Bun.sleep(chunkDelayMs).then(() => emit(controller))
      }
      return emit(controller)
    },
    cancel() {
      cancelled = true
      exchange.noteAbort()
    },
  })
}
