import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createParser } from 'eventsource-parser'
import type { ChatCompletionChunk } from '../../protocol/openai-chat-types.ts'
import type { DeploymentTarget, UpstreamEvent } from '../provider-adapter.ts'
import { createOpenAiCompatibleAdapter } from './openai-compatible-adapter.ts'
import { vendorsById } from './vendors.ts'

const fixture = (name: string) => readFileSync(join(import.meta.dir, '__fixtures__', name), 'utf8')
const context = { id: 'chatcmpl-req_1', created: 1_800_000_000, model: 'openai/gpt-4o-mini' }
const target: DeploymentTarget = {
  providerId: 'openai',
  upstreamModel: 'gpt-4o-mini',
  baseUrl: 'https://api.example/v1',
  apiKey: 'sk-secret',
}

function adapterFor(vendorId: string) {
  const vendor = vendorsById.get(vendorId)
  if (vendor == null) throw new Error(`no vendor ${vendorId}`)
  return createOpenAiCompatibleAdapter(vendor)
}

function decode(text: string, splitAt: number): UpstreamEvent[] {
  const events: UpstreamEvent[] = []
  const parser = createParser({ onEvent: (event) => events.push({ event: event.event, data: event.data }) })
  parser.feed(text.slice(0, splitAt))
  parser.feed(text.slice(splitAt))
  return events
}

describe('request building', () => {
  test('always asks for stream usage, drops gateway-only fields, uses the upstream model name', () => {
    const request = adapterFor('openai').buildChatRequest(
      {
        model: 'openai/gpt-4o-mini',
        models: ['x'],
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
        max_completion_tokens: 5,
        logprobs: true,
      },
      target,
    )
    const body = JSON.parse(request.body)
    expect(request.url).toBe('https://api.example/v1/chat/completions')
    expect(request.headers.authorization).toBe('Bearer sk-secret')
    expect(body).toEqual({
      model: 'gpt-4o-mini',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'hi' }],
      max_completion_tokens: 5,
      logprobs: true,
    })
  })

  test('vendor quirks: Mistral gets no stream_options, older APIs get max_tokens, Azure an api-key header', () => {
    const mistral = JSON.parse(
      adapterFor('mistral').buildChatRequest(
        { model: 'm', stream: true, stream_options: { include_usage: true }, messages: [], max_completion_tokens: 9 },
        target,
      ).body,
    )
    expect(mistral.stream_options).toBeUndefined()
    expect(mistral.max_tokens).toBe(9)
    expect(mistral.max_completion_tokens).toBeUndefined()
    const azure = adapterFor('azure').buildChatRequest({ model: 'm', messages: [] }, { ...target, query: 'api-version=2025-04-01-preview' })
    expect(azure.headers['api-key']).toBe('sk-secret')
    expect(azure.headers.authorization).toBeUndefined()
    expect(azure.url).toEndWith('/chat/completions?api-version=2025-04-01-preview')
    const ollama = adapterFor('ollama').buildChatRequest({ model: 'm', messages: [] }, { ...target, apiKey: undefined })
    expect(ollama.headers.authorization).toBeUndefined()
  })
})

describe('responses and streams', () => {
  test('DeepSeek reasoning content and its cache-hit usage field', () => {
    const { completion, usage } = adapterFor('deepseek').parseChatResponse(JSON.parse(fixture('deepseek-reasoner.json')), context)
    expect(completion.id).toBe(context.id)
    expect(completion.model).toBe(context.model)
    expect(completion.choices[0]?.message.reasoning_content).toBe('The user asks...')
    expect(usage).toEqual({ inputTokens: 20, outputTokens: 150, cachedInputTokens: 0, cacheWriteTokens: 0, reasoningTokens: 140 })
  })

  test('tool-call stream at every split point: arguments, finish reason and cached usage', () => {
    const text = fixture('openai-tool-call.sse')
    for (let splitAt = 0; splitAt < text.length; splitAt += 7) {
      const parser = adapterFor('openai').createStreamParser(context)
      const chunks: ChatCompletionChunk[] = []
      for (const event of decode(text, splitAt)) chunks.push(...parser.onEvent(event))
      chunks.push(...parser.onEnd())
      const argumentsText = chunks
        .flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])
        .map((call) => call.function?.arguments ?? '')
        .join('')
      expect(JSON.parse(argumentsText)).toEqual({ city: 'Paris' })
      expect(chunks.every((chunk) => chunk.id === context.id && chunk.model === context.model)).toBe(true)
      expect(chunks.some((chunk) => chunk.choices.length === 0)).toBe(false)
      expect(parser.finishReason()).toBe('tool_calls')
      expect(parser.usage()).toEqual({ inputTokens: 82, outputTokens: 17, cachedInputTokens: 64, cacheWriteTokens: 0, reasoningTokens: 0 })
    }
  })

  test('an error object inside the stream throws', () => {
    const parser = adapterFor('openai').createStreamParser(context)
    expect(() => parser.onEvent({ event: undefined, data: '{"error":{"message":"quota exceeded"}}' })).toThrow('quota exceeded')
  })
})

describe('errors', () => {
  const failure = (status: number, body: string, headers: Record<string, string> = {}) => ({
    status,
    headers: new Headers(headers),
    bodyText: body,
  })

  test('status classes map to our catalogue', () => {
    const adapter = adapterFor('openai')
    expect(adapter.parseError(failure(429, '{"error":{"message":"slow down"}}', { 'retry-after': '3' }), target)).toMatchObject({
      code: 'upstream_rate_limited',
      status: 429,
      retryAfterSeconds: 3,
    })
    expect(adapter.parseError(failure(500, 'oops'), target)).toMatchObject({ code: 'upstream_error', status: 502 })
    expect(adapter.parseError(failure(503, ''), target)).toMatchObject({ code: 'upstream_unavailable', status: 503 })
    expect(
      adapter.parseError(failure(400, '{"error":{"message":"This model\'s maximum context length is 128000 tokens"}}'), target).code,
    ).toBe('context_length_exceeded')
    expect(adapter.parseError(failure(422, '{"error":{"message":"bad field"}}'), target)).toMatchObject({
      code: 'upstream_rejected',
      status: 422,
    })
  })

  test('an upstream 401 never repeats the upstream key', () => {
    const error = adapterFor('openai').parseError(failure(401, '{"error":{"message":"Incorrect API key provided: sk-secret"}}'), target)
    expect(error.status).toBe(502)
    expect(error.message).not.toContain('sk-secret')
    const echoed = adapterFor('openai').parseError(failure(400, '{"error":{"message":"key sk-secret is bad"}}'), target)
    expect(echoed.message).not.toContain('sk-secret')
  })
})
