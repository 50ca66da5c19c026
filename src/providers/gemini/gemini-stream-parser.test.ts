import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { createParser } from 'eventsource-parser'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { ChatCompletionChunk } from '../../protocol/openai-chat-types.ts'
import type { StreamParser } from '../provider-adapter.ts'
import { createGeminiStreamParser } from './gemini-stream-parser.ts'

const context = { id: 'chatcmpl-abc123', created: 1_750_000_000, model: 'gemini-2.5-flash' }

type Replay = { chunks: ChatCompletionChunk[]; parser: StreamParser; error: unknown }

function loadFixture(name: string): Uint8Array {
  return new Uint8Array(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url)))
}

/** Feeds the fixture bytes in pieces cut at `cuts`, through a streaming UTF-8 decoder and SSE parser. */
function replay(bytes: Uint8Array, cuts: number[]): Replay {
  const parser = createGeminiStreamParser(context)
  const chunks: ChatCompletionChunk[] = []
  let error: unknown
  const sse = createParser({
    onEvent(event) {
      if (error === undefined) chunks.push(...parser.onEvent({ event: event.event, data: event.data }))
    },
  })
  const decoder = new TextDecoder()
  const bounds = [0, ...cuts, bytes.length]
  try {
    for (let index = 1; index < bounds.length; index++) {
      sse.feed(decoder.decode(bytes.subarray(bounds[index - 1], bounds[index]), { stream: true }))
    }
    sse.feed(decoder.decode())
    chunks.push(...parser.onEnd())
  } catch (caught) {
    error = caught
  }
  return { chunks, parser, error }
}

/** Every single cut point, then fixed-size slicing at sizes that land inside multi-byte characters. */
function awkwardSplits(length: number): number[][] {
  const splits: number[][] = []
  for (let cut = 1; cut < length; cut++) splits.push([cut])
  for (const size of [1, 2, 3, 5, 7, 13, 64]) {
    const cuts: number[] = []
    for (let cut = size; cut < length; cut += size) cuts.push(cut)
    splits.push(cuts)
  }
  return splits
}

function expectSameUnderEverySplit(name: string): Replay {
  const bytes = loadFixture(name)
  const whole = replay(bytes, [])
  for (const cuts of awkwardSplits(bytes.length)) {
    const split = replay(bytes, cuts)
    expect(split.chunks).toEqual(whole.chunks)
    expect(split.parser.usage()).toEqual(whole.parser.usage())
    expect(String(split.error)).toBe(String(whole.error))
  }
  return whole
}

describe('createGeminiStreamParser', () => {
  test('streams thoughts and text, then finish, then a usage chunk with cached and thought tokens', () => {
    const { chunks, parser, error } = expectSameUnderEverySplit('gemini-text-thinking.sse')
    expect(error).toBeUndefined()
    expect(chunks.map((chunk) => chunk.choices[0]?.delta)).toEqual([
      {
        role: 'assistant',
        reasoning_content: '**Greeting in two languages**\n\nThe user wants a short hello in French and Japanese; keep it warm.',
      },
      { content: 'Bonjour, ça va ? ' },
      { content: 'こんにちは、元気ですか？ 🚀' },
      {},
      undefined,
    ])
    expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason)).toEqual([null, null, null, 'stop', undefined])
    for (const chunk of chunks) {
      expect(chunk).toMatchObject({ id: context.id, object: 'chat.completion.chunk', created: context.created })
      expect(chunk.model).toBe('gemini-2.5-flash')
    }
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: {
        prompt_tokens: 2083,
        completion_tokens: 70,
        total_tokens: 2153,
        prompt_tokens_details: { cached_tokens: 2048 },
        completion_tokens_details: { reasoning_tokens: 56 },
      },
    })
    expect(parser.usage()).toEqual({
      inputTokens: 2083,
      outputTokens: 70,
      cachedInputTokens: 2048,
      cacheWriteTokens: 0,
      reasoningTokens: 56,
    })
    expect(parser.finishReason()).toBe('stop')
  })

  test('emits each whole function call as one tool_calls delta with a running index', () => {
    const { chunks, parser } = expectSameUnderEverySplit('gemini-tool-calls.sse')
    const toolDeltas = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])
    expect(toolDeltas).toEqual([
      {
        index: 0,
        id: 'call_abc123_0_0',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Zürich","unit":"celsius"}' },
      },
      {
        index: 1,
        id: 'call_abc123_0_1',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"東京"}' },
      },
    ])
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: 'Checking both cities.' })
    // Gemini says STOP after a function call; OpenAI clients expect tool_calls.
    expect(parser.finishReason()).toBe('tool_calls')
    expect(parser.usage()).toMatchObject({ inputTokens: 118, outputTokens: 35 })
  })

  test('an error frame after content throws a GatewayError', () => {
    const { chunks, error } = expectSameUnderEverySplit('gemini-error-mid-stream.sse')
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content)).toEqual(['Der Anfang …'])
    expect(error).toBeInstanceOf(GatewayError)
    expect(error).toMatchObject({ code: 'upstream_unavailable', upstreamStatus: 503 })
    expect(String(error)).toContain('The model is overloaded')
  })

  test('a blocked prompt ends with content_filter', () => {
    const { chunks, parser } = expectSameUnderEverySplit('gemini-prompt-blocked.sse')
    expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason)).toEqual([null, 'content_filter', undefined])
    expect(chunks[0]?.choices[0]?.delta).toEqual({ role: 'assistant', content: '' })
    expect(parser.usage()).toMatchObject({ inputTokens: 9, outputTokens: 0 })
  })

  test('maps MAX_TOKENS and safety stops, and keeps candidates apart', () => {
    const parser = createGeminiStreamParser(context)
    const frame = {
      candidates: [
        { index: 0, content: { parts: [{ text: 'a' }] }, finishReason: 'MAX_TOKENS' },
        { index: 1, content: { parts: [{ text: 'b' }] }, finishReason: 'SAFETY' },
      ],
    }
    const chunks = parser.onEvent({ event: undefined, data: JSON.stringify(frame) })
    expect(chunks.map((chunk) => chunk.choices[0])).toEqual([
      { index: 0, delta: { role: 'assistant', content: 'a' }, finish_reason: null },
      { index: 0, delta: {}, finish_reason: 'length' },
      { index: 1, delta: { role: 'assistant', content: 'b' }, finish_reason: null },
      { index: 1, delta: {}, finish_reason: 'content_filter' },
    ])
    expect(parser.finishReason()).toBe('length')
  })

  test('a stream cut before finishReason reports no finish reason and no usage chunk without usage', () => {
    const parser = createGeminiStreamParser(context)
    parser.onEvent({ event: undefined, data: '{"candidates": [{"content": {"parts": [{"text": "Hi"}]}}]}' })
    expect(parser.onEnd()).toEqual([])
    expect(parser.finishReason()).toBeUndefined()
  })

  test('an unreadable frame throws upstream_error', () => {
    const parser = createGeminiStreamParser(context)
    expect(() => parser.onEvent({ event: undefined, data: '{"candidates": [' })).toThrow(GatewayError)
  })
})
