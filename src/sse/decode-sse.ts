import { createParser } from 'eventsource-parser'
import type { UpstreamEvent } from '../providers/provider-adapter.ts'

/**
 * Decodes a byte stream of server-sent events into events, once, in one place. Multi-byte UTF-8
 * characters split across chunks, CRLF line endings, comments and multi-line data are handled by
 * the TextDecoder's streaming mode and eventsource-parser.
 */
export async function* decodeSse(body: ReadableStream<Uint8Array>): AsyncGenerator<UpstreamEvent> {
  const decoder = new TextDecoder()
  let pending: UpstreamEvent[] = []
  const parser = createParser({
    onEvent(event) {
      pending.push({ event: event.event, data: event.data })
    },
  })
  const reader = body.getReader()
  try {
    while (true) {
      const { done, value } = await reader.read()
      if (done) break
      parser.feed(decoder.decode(value, { stream: true }))
      if (pending.length > 0) {
        const ready = pending
        pending = []
        yield* ready
      }
    }
    parser.feed(decoder.decode())
    // A final event without its blank line still counts: some providers end the body abruptly.
    parser.feed('\n\n')
    yield* pending
  } finally {
    reader.releaseLock()
  }
}
