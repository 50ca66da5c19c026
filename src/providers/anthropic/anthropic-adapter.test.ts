import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import type { DeploymentTarget } from '../provider-adapter.ts'
import { anthropicAdapter } from './anthropic-adapter.ts'

const target: DeploymentTarget = {
  providerId: 'anthropic',
  upstreamModel: 'claude-haiku-4-5',
  baseUrl: 'https://api.anthropic.com',
  apiKey: 'sk-ant-secret-key-123',
}

describe('anthropicAdapter.buildChatRequest', () => {
  test('URL, auth and version headers, configured headers, JSON body', () => {
    const upstream = anthropicAdapter.buildChatRequest(
      { model: 'anthropic/claude-haiku-4-5', messages: [{ role: 'user', content: 'Hi' }], stream: true },
      { ...target, headers: { 'anthropic-beta': 'context-1m-2025-08-07' } },
    )
    expect(anthropicAdapter.family).toBe('anthropic')
    expect(upstream.method).toBe('POST')
    expect(upstream.url).toBe('https://api.anthropic.com/v1/messages')
    expect(upstream.headers).toEqual({
      'content-type': 'application/json',
      'anthropic-version': '2023-06-01',
      'x-api-key': 'sk-ant-secret-key-123',
      'anthropic-beta': 'context-1m-2025-08-07',
    })
    expect(JSON.parse(upstream.body)).toEqual({
      model: 'claude-haiku-4-5',
      max_tokens: 4096,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      stream: true,
    })
  })

  test.each([
    ['https://api.anthropic.com/', 'https://api.anthropic.com/v1/messages'],
    ['https://api.anthropic.com/v1', 'https://api.anthropic.com/v1/messages'],
    ['https://api.anthropic.com/v1/', 'https://api.anthropic.com/v1/messages'],
    ['http://localhost:8080/proxy/anthropic', 'http://localhost:8080/proxy/anthropic/v1/messages'],
  ])('base URL %p → %p', (baseUrl, url) => {
    const request = { model: 'm', messages: [{ role: 'user' as const, content: 'Hi' }] }
    expect(anthropicAdapter.buildChatRequest(request, { ...target, baseUrl }).url).toBe(url)
  })

  test('no key configured → no x-api-key header; query is appended', () => {
    const upstream = anthropicAdapter.buildChatRequest(
      { model: 'm', messages: [{ role: 'user', content: 'Hi' }] },
      { ...target, apiKey: undefined, query: 'beta=true' },
    )
    expect(upstream.headers['x-api-key']).toBeUndefined()
    expect(upstream.url).toBe('https://api.anthropic.com/v1/messages?beta=true')
  })
})

describe('anthropicAdapter.parseError', () => {
  const failure = (status: number, bodyText: string, headers: Record<string, string> = {}) => ({
    status,
    bodyText,
    headers: new Headers(headers),
  })

  test('529 overloaded → upstream_unavailable with Anthropic’s message', () => {
    const bodyText = readFileSync(new URL('./__fixtures__/anthropic-529.json', import.meta.url), 'utf8')
    const error = anthropicAdapter.parseError(failure(529, bodyText), target)
    expect(error.code).toBe('upstream_unavailable')
    expect(error.retryable).toBe(true)
    expect(error.message).toContain('Overloaded')
    expect(error.upstreamStatus).toBe(529)
  })

  test('400 prompt too long → context_length_exceeded; 429 keeps retry-after', () => {
    const tooLong = JSON.stringify({
      type: 'error',
      error: { type: 'invalid_request_error', message: 'prompt is too long: 210000 tokens > 200000 maximum' },
    })
    expect(anthropicAdapter.parseError(failure(400, tooLong), target).code).toBe('context_length_exceeded')
    const limited = JSON.stringify({ type: 'error', error: { type: 'rate_limit_error', message: 'Slow down' } })
    const error = anthropicAdapter.parseError(failure(429, limited, { 'retry-after': '7' }), target)
    expect(error.code).toBe('upstream_rate_limited')
    expect(error.retryAfterSeconds).toBe(7)
  })

  test('the upstream key is never echoed; non-JSON bodies fall back to the status', () => {
    const echo = JSON.stringify({ type: 'error', error: { type: 'invalid_request_error', message: `bad key ${target.apiKey}` } })
    expect(anthropicAdapter.parseError(failure(400, echo), target).message).not.toContain(target.apiKey ?? '')
    const html = anthropicAdapter.parseError(failure(502, '<html>Bad gateway</html>'), target)
    expect(html.code).toBe('upstream_error')
    expect(html.message).toContain('HTTP 502')
  })
})

describe('anthropicAdapter.parseChatResponse / createStreamParser', () => {
  test('are wired to the converters', () => {
    const context = { id: 'chatcmpl-1', created: 1, model: 'claude' }
    const { completion } = anthropicAdapter.parseChatResponse(
      { content: [{ type: 'text', text: 'ok' }], stop_reason: 'end_turn', usage: { input_tokens: 1, output_tokens: 1 } },
      context,
    )
    expect(completion.choices[0]?.message.content).toBe('ok')
    expect(anthropicAdapter.createStreamParser(context).finishReason()).toBeUndefined()
  })
})
