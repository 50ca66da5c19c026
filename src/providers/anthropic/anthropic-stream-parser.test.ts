import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { createParser } from 'eventsource-parser'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { ChatCompletionChunk } from '../../protocol/openai-chat-types.ts'
import type { UpstreamEvent } from '../provider-adapter.ts'
import { createAnthropicStreamParser } from './anthropic-stream-parser.ts'

const context = { id: 'chatcmpl-test', created: 1_700_000_000, model: 'anthropic/claude-haiku-4-5' }

function fixtureBytes(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url)))
}

/** Decodes raw SSE bytes delivered in the given pieces, as the network might cut them. */
function decodePieces(pieces: Uint8Array[]): UpstreamEvent[] {
  const events: UpstreamEvent[] = []
  const decoder = new TextDecoder()
  const parser = createParser({ onEvent: (event) => events.push({ event: event.event, data: event.data }) })
  for (const piece of pieces) parser.feed(decoder.decode(piece, { stream: true }))
  parser.feed(`${decoder.decode()}\n\n`)
  return events
}

function splitAt(bytes: Uint8Array, offsets: number[]): Uint8Array[] {
  const bounds = [0, ...offsets, bytes.length]
  return bounds.slice(1).map((end, index) => bytes.subarray(bounds[index], end))
}

/** Every way to cut the body in two, plus byte-by-byte and a few uneven rhythms. */
function awkwardSplits(bytes: Uint8Array): Uint8Array[][] {
  const splits: Uint8Array[][] = []
  for (let offset = 0; offset <= bytes.length; offset++) splits.push(splitAt(bytes, [offset]))
  for (const size of [1, 2, 3, 7, 13, 64]) {
    const offsets: number[] = []
    for (let offset = size; offset < bytes.length; offset += size) offsets.push(offset)
    splits.push(splitAt(bytes, offsets))
  }
  return splits
}

function runParser(events: UpstreamEvent[]) {
  const parser = createAnthropicStreamParser(context)
  const chunks: ChatCompletionChunk[] = []
  for (const event of events) chunks.push(...parser.onEvent(event))
  chunks.push(...parser.onEnd())
  return { parser, chunks }
}

/** What an OpenAI client would rebuild from the chunks. */
function reassemble(chunks: ChatCompletionChunk[]) {
  let content = ''
  let reasoning = ''
  const toolCalls: Array<{ id?: string; name?: string; arguments: string }> = []
  const finishReasons: Array<string | null> = []
  for (const chunk of chunks) {
    const choice = chunk.choices[0]
    if (choice == null) continue
    content += choice.delta.content ?? ''
    reasoning += choice.delta.reasoning_content ?? ''
    for (const call of choice.delta.tool_calls ?? []) {
      const entry = toolCalls[call.index] ?? { arguments: '' }
      toolCalls[call.index] = entry
      if (call.id != null) entry.id = call.id
      if (call.function?.name != null) entry.name = call.function.name
      entry.arguments += call.function?.arguments ?? ''
    }
    finishReasons.push(choice.finish_reason)
  }
  return { content, reasoning, toolCalls, finishReasons }
}

describe('createAnthropicStreamParser on recorded streams', () => {
  test('text stream: identical chunks however the bytes are split (incl. CRLF)', () => {
    const bytes = fixtureBytes('anthropic-text.sse')
    const baseline = runParser(decodePieces([bytes])).chunks
    for (const pieces of awkwardSplits(bytes)) expect(runParser(decodePieces(pieces)).chunks).toEqual(baseline)
    const crlf = new TextEncoder().encode(new TextDecoder().decode(bytes).replaceAll('\n', '\r\n'))
    for (const pieces of awkwardSplits(crlf)) expect(runParser(decodePieces(pieces)).chunks).toEqual(baseline)

    const { parser, chunks } = runParser(decodePieces([bytes]))
    const result = reassemble(chunks)
    expect(result.content).toBe('Hello, café ☕ — 世界! 🚂\nAll aboard.')
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant')
    expect(chunks.slice(1).every((chunk) => chunk.choices[0]?.delta.role == null)).toBe(true)
    expect(result.finishReasons.at(-1)).toBe('stop')
    expect(result.finishReasons.slice(0, -1).every((reason) => reason === null)).toBe(true)
    expect(chunks.every((chunk) => chunk.id === context.id && chunk.model === context.model)).toBe(true)
    expect(parser.finishReason()).toBe('stop')
    expect(parser.usage()).toEqual({
      inputTokens: 12 + 2048 + 100,
      outputTokens: 15,
      cachedInputTokens: 2048,
      cacheWriteTokens: 100,
      reasoningTokens: 0,
    })
  })

  test('tool-call stream: arguments split mid-token reassemble; indexes count tool calls from 0', () => {
    const bytes = fixtureBytes('anthropic-tool-call.sse')
    const baseline = runParser(decodePieces([bytes])).chunks
    for (const pieces of awkwardSplits(bytes)) expect(runParser(decodePieces(pieces)).chunks).toEqual(baseline)

    const { parser, chunks } = runParser(decodePieces([bytes]))
    const result = reassemble(chunks)
    expect(result.content).toBe('Okay, let me check the weather for San Francisco:')
    expect(result.toolCalls).toEqual([
      { id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', arguments: expect.any(String) },
      { id: 'toolu_01HgQ9sNvZkP3wJ8yRtE2mXa', name: 'get_time', arguments: '{}' },
    ])
    expect(JSON.parse(result.toolCalls[0]?.arguments ?? '')).toEqual({ location: 'San Francisco, CA', unit: 'fahrenheit' })
    const firstToolDelta = chunks.find((chunk) => chunk.choices[0]?.delta.tool_calls != null)
    expect(firstToolDelta?.choices[0]?.delta.tool_calls).toEqual([
      { index: 0, id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', type: 'function', function: { name: 'get_weather', arguments: '' } },
    ])
    expect(result.finishReasons.at(-1)).toBe('tool_calls')
    expect(parser.finishReason()).toBe('tool_calls')
    // message_delta only restated output_tokens: input from message_start is kept, output replaced.
    expect(parser.usage()).toMatchObject({ inputTokens: 472, outputTokens: 89, cachedInputTokens: 0 })
  })

  test('thinking stream: thinking_delta → reasoning_content, signature ignored, max_tokens → length', () => {
    const bytes = fixtureBytes('anthropic-thinking.sse')
    const baseline = runParser(decodePieces([bytes])).chunks
    for (const pieces of awkwardSplits(bytes)) expect(runParser(decodePieces(pieces)).chunks).toEqual(baseline)

    const { parser, chunks } = runParser(decodePieces([bytes]))
    const result = reassemble(chunks)
    expect(result.reasoning).toBe(
      'I need the GCD of 1071 and 462.\n\n1071 = 2 × 462 + 147\n462 = 3 × 147 + 21\n147 = 7 × 21 + 0\n\nSo the GCD is 21.',
    )
    expect(result.content).toBe('The greatest common divisor of 1071 and 462 is **21**.')
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', reasoning_content: expect.any(String) })
    expect(parser.finishReason()).toBe('length')
    expect(parser.usage()).toEqual({
      inputTokens: 35,
      outputTokens: 120,
      cachedInputTokens: 0,
      cacheWriteTokens: 0,
      reasoningTokens: 90,
    })
  })

  test('error event: overloaded_error throws upstream_unavailable before any chunk', () => {
    const parser = createAnthropicStreamParser(context)
    const events = decodePieces([fixtureBytes('anthropic-overloaded.sse')])
    const emitted: ChatCompletionChunk[] = []
    let thrown: unknown
    try {
      for (const event of events) emitted.push(...parser.onEvent(event))
    } catch (error) {
      thrown = error
    }
    expect(emitted).toEqual([])
    expect(thrown).toBeInstanceOf(GatewayError)
    expect((thrown as GatewayError).code).toBe('upstream_unavailable')
    expect(parser.usage()?.inputTokens).toBe(9)
  })
})

describe('createAnthropicStreamParser edge cases', () => {
  const event = (data: object): UpstreamEvent => ({ event: (data as { type: string }).type, data: JSON.stringify(data) })

  test('other error types throw upstream_error', () => {
    const parser = createAnthropicStreamParser(context)
    const call = () => parser.onEvent(event({ type: 'error', error: { type: 'api_error', message: 'Internal' } }))
    expect(call).toThrow(GatewayError)
    try {
      call()
    } catch (error) {
      expect((error as GatewayError).code).toBe('upstream_error')
    }
  })

  test('unknown events and pings are ignored; a cut stream reports no finish reason', () => {
    const parser = createAnthropicStreamParser(context)
    expect(parser.onEvent(event({ type: 'ping' }))).toEqual([])
    expect(parser.onEvent(event({ type: 'future_event', whatever: 1 }))).toEqual([])
    expect(parser.onEvent({ event: 'content_block_delta', data: '{"no_type":true}' })).toEqual([])
    expect(parser.onEnd()).toEqual([])
    expect(parser.finishReason()).toBeUndefined()
    expect(parser.usage()).toBeUndefined()
  })

  test('a stream ending after message_delta without message_stop still finishes once', () => {
    const parser = createAnthropicStreamParser(context)
    parser.onEvent(event({ type: 'message_delta', delta: { stop_reason: 'refusal' }, usage: { output_tokens: 3 } }))
    const final = parser.onEnd()
    expect(final).toHaveLength(1)
    expect(final[0]?.choices[0]).toEqual({ index: 0, delta: { role: 'assistant' }, finish_reason: 'content_filter' })
    expect(parser.onEnd()).toEqual([])
  })

  test('non-JSON data is an upstream_error', () => {
    const parser = createAnthropicStreamParser(context)
    expect(() => parser.onEvent({ event: 'content_block_delta', data: '{"type":' })).toThrow(GatewayError)
  })
})
