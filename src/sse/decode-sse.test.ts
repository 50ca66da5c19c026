import { describe, expect, test } from 'bun:test'
import { decodeSse } from './decode-sse.ts'

function streamOf(parts: Uint8Array[]): ReadableStream<Uint8Array> {
  return new ReadableStream({
    start(controller) {
      for (const part of parts) controller.enqueue(part)
      controller.close()
    },
  })
}

async function collect(parts: Uint8Array[]) {
  const events = []
  for await (const event of decodeSse(streamOf(parts))) events.push(event)
  return events
}

const raw = 'event: message_start\r\ndata: {"a":"é😀"}\r\n\r\n: comment\n\ndata: line1\ndata: line2\n\ndata: [DONE]\n\n'
const bytes = new TextEncoder().encode(raw)

describe('decodeSse', () => {
  test('decodes named events, comments, CRLF and multi-line data', async () => {
    const events = await collect([bytes])
    expect(events).toEqual([
      { event: 'message_start', data: '{"a":"é😀"}' },
      { event: undefined, data: 'line1\nline2' },
      { event: undefined, data: '[DONE]' },
    ])
  })

  test('gives the same events for every split point, including inside UTF-8 characters', async () => {
    const expected = await collect([bytes])
    for (let offset = 1; offset < bytes.length; offset++) {
      const events = await collect([bytes.slice(0, offset), bytes.slice(offset)])
      expect(events).toEqual(expected)
    }
  })

  test('byte-by-byte delivery', async () => {
    const parts = Array.from(bytes, (byte) => new Uint8Array([byte]))
    expect(await collect(parts)).toEqual(await collect([bytes]))
  })

  test('a last event without its blank line is still delivered', async () => {
    const events = await collect([new TextEncoder().encode('data: {"x":1}')])
    expect(events).toEqual([{ event: undefined, data: '{"x":1}' }])
  })
})
