import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../../errors/gateway-error.ts'
import { convertGeminiResponse } from './convert-gemini-response.ts'

const context = { id: 'chatcmpl-xyz', created: 1_750_000_000, model: 'gemini-2.5-pro' }

describe('convertGeminiResponse', () => {
  test('joins text parts, separates thoughts, and normalises usage with thoughts and cached tokens', () => {
    const { completion, usage } = convertGeminiResponse(
      {
        candidates: [
          {
            content: {
              role: 'model',
              parts: [
                { text: 'Weighing the options.', thought: true },
                { text: 'The answer ' },
                { text: 'is 42.', thoughtSignature: 'CiQB' },
              ],
            },
            finishReason: 'STOP',
            index: 0,
            safetyRatings: [],
          },
        ],
        usageMetadata: {
          promptTokenCount: 1200,
          cachedContentTokenCount: 1024,
          candidatesTokenCount: 5,
          thoughtsTokenCount: 120,
          toolUsePromptTokenCount: 30,
          totalTokenCount: 1355,
        },
        modelVersion: 'gemini-2.5-pro',
        responseId: 'abc',
      },
      context,
    )
    expect(completion).toEqual({
      id: 'chatcmpl-xyz',
      object: 'chat.completion',
      created: 1_750_000_000,
      model: 'gemini-2.5-pro',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'The answer is 42.', reasoning_content: 'Weighing the options.' },
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 1230,
        completion_tokens: 125,
        total_tokens: 1355,
        prompt_tokens_details: { cached_tokens: 1024 },
        completion_tokens_details: { reasoning_tokens: 120 },
      },
    })
    expect(usage).toEqual({
      inputTokens: 1230,
      outputTokens: 125,
      cachedInputTokens: 1024,
      cacheWriteTokens: 0,
      reasoningTokens: 120,
    })
  })

  test('turns function calls into tool_calls with deterministic ids and finish tool_calls', () => {
    const body = {
      candidates: [
        {
          content: {
            parts: [{ functionCall: { name: 'lookup', args: { id: 7, tags: ['a'] } } }, { functionCall: { name: 'ping' } }],
          },
          finishReason: 'STOP',
        },
      ],
    }
    const first = convertGeminiResponse(body, context)
    expect(first.completion.choices[0]?.message).toEqual({
      role: 'assistant',
      content: null,
      tool_calls: [
        { id: 'call_xyz_0_0', type: 'function', function: { name: 'lookup', arguments: '{"id":7,"tags":["a"]}' } },
        { id: 'call_xyz_0_1', type: 'function', function: { name: 'ping', arguments: '{}' } },
      ],
    })
    expect(first.completion.choices[0]?.finish_reason).toBe('tool_calls')
    expect(first.usage).toBeUndefined()
    expect(convertGeminiResponse(body, context)).toEqual(first)
  })

  test('maps finish reasons and returns one choice per candidate', () => {
    const { completion } = convertGeminiResponse(
      {
        candidates: [
          { index: 0, content: { parts: [{ text: 'a' }] }, finishReason: 'MAX_TOKENS' },
          { index: 1, content: { parts: [{ text: 'b' }] }, finishReason: 'RECITATION' },
          { index: 2, content: { parts: [{ text: 'c' }] }, finishReason: 'MALFORMED_FUNCTION_CALL' },
        ],
      },
      context,
    )
    expect(completion.choices.map((choice) => [choice.index, choice.finish_reason])).toEqual([
      [0, 'length'],
      [1, 'content_filter'],
      [2, 'stop'],
    ])
  })

  test('a blocked prompt becomes an empty content_filter choice', () => {
    const { completion, usage } = convertGeminiResponse(
      { promptFeedback: { blockReason: 'SAFETY' }, usageMetadata: { promptTokenCount: 8, totalTokenCount: 8 } },
      context,
    )
    expect(completion.choices).toEqual([{ index: 0, message: { role: 'assistant', content: null }, finish_reason: 'content_filter' }])
    expect(usage).toMatchObject({ inputTokens: 8, outputTokens: 0 })
  })

  test('an unreadable body or an error body throws a GatewayError', () => {
    expect(() => convertGeminiResponse('nope', context)).toThrow(GatewayError)
    expect(() => convertGeminiResponse({ candidates: [{ content: { parts: 'x' } }] }, context)).toThrow(GatewayError)
    expect(() => convertGeminiResponse({ error: { code: 429, message: 'Quota', status: 'RESOURCE_EXHAUSTED' } }, context)).toThrow(
      expect.objectContaining({ code: 'upstream_rate_limited' }),
    )
  })
})
