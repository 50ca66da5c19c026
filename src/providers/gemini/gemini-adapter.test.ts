import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { DeploymentTarget } from '../provider-adapter.ts'
import { geminiAdapter } from './gemini-adapter.ts'

const target: DeploymentTarget = {
  providerId: 'gemini',
  upstreamModel: 'gemini-2.5-flash',
  baseUrl: 'https://generativelanguage.googleapis.com/v1beta/',
  apiKey: 'AIzaSyTESTKEY123',
  headers: { 'x-extra': '1' },
}

describe('geminiAdapter', () => {
  test('builds the generateContent and streaming URLs with the key in a header only', () => {
    const request = { model: 'flash', messages: [{ role: 'user' as const, content: 'Hi' }] }
    const plain = geminiAdapter.buildChatRequest(request, target)
    expect(plain.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent')
    expect(plain.method).toBe('POST')
    expect(plain.headers).toEqual({
      'content-type': 'application/json',
      'x-goog-api-key': 'AIzaSyTESTKEY123',
      'x-extra': '1',
    })
    expect(JSON.parse(plain.body)).toEqual({ contents: [{ role: 'user', parts: [{ text: 'Hi' }] }] })

    const streaming = geminiAdapter.buildChatRequest({ ...request, stream: true }, { ...target, baseUrl: 'http://proxy:9/' })
    expect(streaming.url).toBe('http://proxy:9/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse')
    expect(streaming.url).not.toContain('key=')
    const withQuery = geminiAdapter.buildChatRequest({ ...request, stream: true }, { ...target, query: 'trace=1' })
    expect(withQuery.url).toEndWith(':streamGenerateContent?alt=sse&trace=1')
  })

  test('builds batchEmbedContents and converts the answer to the OpenAI list shape', () => {
    const built = geminiAdapter.buildEmbeddingsRequest?.(
      { model: 'embed', input: ['a', 'b'], dimensions: 256 },
      { ...target, upstreamModel: 'gemini-embedding-001' },
    )
    expect(built?.url).toBe('https://generativelanguage.googleapis.com/v1beta/models/gemini-embedding-001:batchEmbedContents')
    expect(JSON.parse(built?.body ?? '')).toEqual({
      requests: ['a', 'b'].map((text) => ({
        model: 'models/gemini-embedding-001',
        content: { parts: [{ text }] },
        outputDimensionality: 256,
      })),
    })
    const parsed = geminiAdapter.parseEmbeddingsResponse?.({ embeddings: [{ values: [0.1, 0.2] }, { values: [0.3, 0.4] }] }, 'embed')
    expect(parsed?.response).toEqual({
      object: 'list',
      data: [
        { object: 'embedding', index: 0, embedding: [0.1, 0.2] },
        { object: 'embedding', index: 1, embedding: [0.3, 0.4] },
      ],
      model: 'embed',
      usage: { prompt_tokens: 0, total_tokens: 0 },
    })
    expect(parsed?.usage.inputTokens).toBe(0)
  })

  test('rejects token-array embedding input', () => {
    expect(() => geminiAdapter.buildEmbeddingsRequest?.({ model: 'embed', input: [[1, 2, 3]] }, target)).toThrow(
      expect.objectContaining({ code: 'invalid_request', param: 'input' }),
    )
    expect(() => geminiAdapter.buildEmbeddingsRequest?.({ model: 'embed', input: [] }, target)).toThrow(GatewayError)
  })
})
