import { describe, expect, test } from 'bun:test'
import { readFileSync } from 'node:fs'
import { GatewayError } from '../../errors/gateway-error.ts'
import { convertAnthropicResponse } from './convert-anthropic-response.ts'
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.ts'

const context = { id: 'chatcmpl-abc', created: 1_700_000_000, model: 'anthropic/claude-sonnet-4-5' }
const message: unknown = JSON.parse(readFileSync(new URL('./__fixtures__/anthropic-message.json', import.meta.url), 'utf8'))

describe('convertAnthropicResponse', () => {
  test('text joined, tool_use → tool_calls, thinking → reasoning_content, ids from context', () => {
    const { completion } = convertAnthropicResponse(message, context)
    expect(completion.id).toBe(context.id)
    expect(completion.model).toBe(context.model)
    expect(completion.created).toBe(context.created)
    expect(completion.object).toBe('chat.completion')
    expect(completion.choices).toEqual([
      {
        index: 0,
        message: {
          role: 'assistant',
          content: 'Let me check the weather.',
          tool_calls: [
            {
              id: 'toolu_01A09q90qw90lq917835lq9',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"location":"San Francisco, CA","unit":"celsius"}' },
            },
          ],
          reasoning_content: 'The user wants the weather; I should call the tool.',
        },
        finish_reason: 'tool_calls',
        logprobs: null,
      },
    ])
  })

  test('usage: prompt tokens include cache reads and writes (Anthropic input_tokens excludes them)', () => {
    const { completion, usage } = convertAnthropicResponse(message, context)
    expect(usage).toEqual({
      inputTokens: 50 + 3000 + 1200,
      outputTokens: 80,
      cachedInputTokens: 3000,
      cacheWriteTokens: 1200,
      reasoningTokens: 0,
    })
    expect(completion.usage).toEqual({
      prompt_tokens: 4250,
      completion_tokens: 80,
      total_tokens: 4330,
      prompt_tokens_details: { cached_tokens: 3000, cache_write_tokens: 1200 },
      completion_tokens_details: { reasoning_tokens: 0 },
    })
  })

  test('no text → content null; missing usage → undefined', () => {
    const { completion, usage } = convertAnthropicResponse({ content: [], stop_reason: 'end_turn' }, context)
    expect(completion.choices[0]?.message).toEqual({ role: 'assistant', content: null })
    expect(usage).toBeUndefined()
    expect(completion.usage).toBeUndefined()
  })

  test('an unreadable body is an upstream_error', () => {
    expect(() => convertAnthropicResponse({ type: 'message' }, context)).toThrow(GatewayError)
    expect(() => convertAnthropicResponse('<html>', context)).toThrow(GatewayError)
  })
})

describe('mapAnthropicStopReason', () => {
  test.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['pause_turn', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['tool_use', 'tool_calls'],
    ['refusal', 'content_filter'],
    ['something_new', 'stop'],
    [null, 'stop'],
  ] as const)('%p → %p', (stopReason, finishReason) => {
    expect(mapAnthropicStopReason(stopReason)).toBe(finishReason)
  })
})
