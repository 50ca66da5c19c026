import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { ChatRequest } from '../../protocol/openai-chat-types.ts'
import { convertToAnthropicRequest, defaultMaxTokens } from './convert-to-anthropic-request.ts'

const model = 'claude-haiku-4-5'

function convert(request: Partial<ChatRequest>) {
  return convertToAnthropicRequest({ model: 'anthropic/claude-haiku-4-5', messages: [], ...request }, model)
}

describe('convertToAnthropicRequest', () => {
  test('hoists system and developer messages, in order, into top-level system blocks', () => {
    const body = convert({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: 'Again' },
      ],
    })
    expect(body.system).toEqual([
      { type: 'text', text: 'Be brief.' },
      { type: 'text', text: 'Answer in French.' },
    ])
    // The two user turns became adjacent once the developer message left: merged, as Anthropic requires alternation.
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Hi' },
          { type: 'text', text: 'Again' },
        ],
      },
    ])
    expect(body.model).toBe(model)
  })

  test('max_tokens: max_completion_tokens wins, then max_tokens, then the default', () => {
    expect(convert({ max_completion_tokens: 100, max_tokens: 50 }).max_tokens).toBe(100)
    expect(convert({ max_tokens: 50 }).max_tokens).toBe(50)
    expect(convert({}).max_tokens).toBe(defaultMaxTokens)
    expect(defaultMaxTokens).toBe(4096)
  })

  test('assistant tool calls → tool_use; consecutive tool messages → ONE user message of tool_results', () => {
    const body = convert({
      messages: [
        { role: 'user', content: 'Weather in Paris and the time?' },
        {
          role: 'assistant',
          content: 'Checking.',
          reasoning_content: 'dropped: no signature to round-trip',
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '' } },
            { id: 'call_3', type: 'function', function: { name: 'broken', arguments: '{"city":' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: '18°C' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: '14:00' }] },
        { role: 'tool', tool_call_id: 'call_3', content: '' },
        { role: 'user', content: 'Thanks' },
      ],
    })
    expect(body.messages).toEqual([
      { role: 'user', content: [{ type: 'text', text: 'Weather in Paris and the time?' }] },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'call_1', name: 'get_weather', input: { city: 'Paris' } },
          { type: 'tool_use', id: 'call_2', name: 'get_time', input: {} },
          { type: 'tool_use', id: 'call_3', name: 'broken', input: { raw_arguments: '{"city":' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1', content: '18°C' },
          { type: 'tool_result', tool_use_id: 'call_2', content: [{ type: 'text', text: '14:00' }] },
          { type: 'tool_result', tool_use_id: 'call_3' },
          { type: 'text', text: 'Thanks' },
        ],
      },
    ])
  })

  test('tool results are moved before user text merged into the same turn', () => {
    const body = convert({
      messages: [
        { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{}' } }] },
        { role: 'user', content: 'By the way…' },
        { role: 'tool', tool_call_id: 'c', content: 'done' },
      ],
    })
    expect(body.messages[1]?.content.map((block) => block.type)).toEqual(['tool_result', 'text'])
  })

  test('images: data URIs → base64 source, http(s) → url source, anything else → 400', () => {
    const body = convert({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.jpg', detail: 'high' } },
          ],
        },
      ],
    })
    expect(body.messages[0]?.content).toEqual([
      { type: 'text', text: 'Compare' },
      { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'iVBORw0KGgo=' } },
      { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
    ])
    const badImage = (url: string) => () => convert({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url } }] }] })
    expect(badImage('file:///etc/passwd')).toThrow(GatewayError)
    expect(badImage('data:image/svg+xml,<svg/>')).toThrow(GatewayError)
    expect(() =>
      convert({ messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: { data: 'x', format: 'wav' } }] }] }),
    ).toThrow(GatewayError)
  })

  test('tools and tool_choice mapping, parallel_tool_calls:false', () => {
    const tools: ChatRequest['tools'] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather',
          parameters: { type: 'object', properties: { city: { type: 'string' } } },
          strict: true,
        },
      },
      { type: 'function', function: { name: 'get_time' } },
    ]
    const body = convert({ tools })
    expect(body.tools).toEqual([
      { name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
      { name: 'get_time', input_schema: { type: 'object', properties: {} } },
    ])
    expect(body.tool_choice).toBeUndefined()
    expect(convert({ tools, tool_choice: 'auto' }).tool_choice).toEqual({ type: 'auto' })
    expect(convert({ tools, tool_choice: 'none' }).tool_choice).toEqual({ type: 'none' })
    expect(convert({ tools, tool_choice: 'required' }).tool_choice).toEqual({ type: 'any' })
    expect(convert({ tools, tool_choice: { type: 'function', function: { name: 'get_time' } } }).tool_choice).toEqual({
      type: 'tool',
      name: 'get_time',
    })
    expect(convert({ tools, parallel_tool_calls: false }).tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true })
    expect(convert({ tools, tool_choice: 'required', parallel_tool_calls: false }).tool_choice).toEqual({
      type: 'any',
      disable_parallel_tool_use: true,
    })
    expect(convert({ tools, tool_choice: 'none', parallel_tool_calls: false }).tool_choice).toEqual({ type: 'none' })
    // tool_choice without tools would be a 400 upstream.
    expect(convert({ tool_choice: 'required' }).tool_choice).toBeUndefined()
  })

  test('sampling, stop, user, stream; unknown hub fields are not forwarded', () => {
    const body = convert({
      messages: [{ role: 'user', content: 'Hi' }],
      temperature: 1.7,
      top_p: 0.9,
      stop: ['END', '  ', ''],
      user: 'user-42',
      stream: true,
      stream_options: { include_usage: true },
      seed: 7,
      n: 1,
      frequency_penalty: 0.5,
      some_vendor_extension: { x: 1 },
    })
    expect(body).toEqual({
      model,
      max_tokens: defaultMaxTokens,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hi' }] }],
      temperature: 1,
      top_p: 0.9,
      stop_sequences: ['END'],
      metadata: { user_id: 'user-42' },
      stream: true,
    })
    expect(convert({ temperature: -1 }).temperature).toBe(0)
    expect(convert({ stop: 'STOP' }).stop_sequences).toEqual(['STOP'])
    expect(convert({ stream: false }).stream).toBeUndefined()
  })

  test('response_format: json_schema → output_config.format; json_object → system instruction', () => {
    const schema = { type: 'object', properties: { answer: { type: 'number' } }, required: ['answer'], additionalProperties: false }
    const structured = convert({ response_format: { type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } } })
    expect(structured.output_config).toEqual({ format: { type: 'json_schema', schema } })
    expect(structured.system).toBeUndefined()

    const jsonObject = convert({ messages: [{ role: 'system', content: 'Be brief.' }], response_format: { type: 'json_object' } })
    expect(jsonObject.output_config).toBeUndefined()
    expect(jsonObject.system?.[0]).toEqual({ type: 'text', text: 'Be brief.' })
    expect(jsonObject.system?.[1]?.text).toContain('JSON')
    expect(convert({ response_format: { type: 'text' } }).system).toBeUndefined()
  })

  test('empty messages are dropped rather than sent as empty content', () => {
    const body = convert({
      messages: [
        { role: 'user', content: 'Hi' },
        { role: 'assistant', content: '' },
        { role: 'user', content: 'Still there?' },
      ],
    })
    expect(body.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Hi' },
          { type: 'text', text: 'Still there?' },
        ],
      },
    ])
  })
})
