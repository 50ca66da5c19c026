import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { ChatRequest } from '../../protocol/openai-chat-types.ts'
import { convertToGeminiRequest } from './convert-to-gemini-request.ts'

function convert(partial: Partial<ChatRequest>): ReturnType<typeof convertToGeminiRequest> {
  return convertToGeminiRequest({ model: 'gemini-2.5-flash', messages: [], ...partial })
}

describe('convertToGeminiRequest', () => {
  test('hoists system and developer messages and maps roles, merging consecutive turns', () => {
    const body = convert({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Hi' },
        { role: 'developer', content: [{ type: 'text', text: 'Answer in French.' }] },
        { role: 'user', content: [{ type: 'text', text: 'How are you?' }] },
        { role: 'assistant', content: 'Bien.' },
        { role: 'assistant', content: '' },
        { role: 'user', content: 'Thanks' },
      ],
    })
    expect(body).toEqual({
      systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Answer in French.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'Hi' }, { text: 'How are you?' }] },
        { role: 'model', parts: [{ text: 'Bien.' }] },
        { role: 'user', parts: [{ text: 'Thanks' }] },
      ],
    })
  })

  test('converts tool calls and groups tool results, looking the function name up by id', () => {
    const body = convert({
      messages: [
        { role: 'user', content: 'Weather in Paris and Rome?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
            { id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '' } },
          ],
        },
        { role: 'tool', tool_call_id: 'call_2', content: '14:00' },
        { role: 'tool', tool_call_id: 'call_1', content: [{ type: 'text', text: '{"temp":21}' }] },
        { role: 'user', content: 'And tomorrow?' },
      ],
    })
    expect(body.contents).toEqual([
      { role: 'user', parts: [{ text: 'Weather in Paris and Rome?' }] },
      {
        role: 'model',
        parts: [
          { functionCall: { name: 'get_weather', args: { city: 'Paris' } }, thoughtSignature: expect.any(String) },
          { functionCall: { name: 'get_time', args: {} } },
        ],
      },
      {
        role: 'user',
        parts: [
          { functionResponse: { name: 'get_time', response: { content: '14:00' } } },
          { functionResponse: { name: 'get_weather', response: { content: '{"temp":21}' } } },
          { text: 'And tomorrow?' },
        ],
      },
    ])
  })

  test('rejects a tool result with an unknown id and tool arguments that are not a JSON object', () => {
    expect(() => convert({ messages: [{ role: 'tool', tool_call_id: 'nope', content: 'x' }] })).toThrow(
      expect.objectContaining({ code: 'invalid_request', param: 'messages[0].tool_call_id' }),
    )
    const badArguments = {
      role: 'assistant' as const,
      tool_calls: [{ id: 'a', type: 'function' as const, function: { name: 'f', arguments: '{oops' } }],
    }
    expect(() => convert({ messages: [badArguments] })).toThrow(GatewayError)
  })

  test('converts data URI images to inlineData and URLs to fileData with a guessed type', () => {
    const body = convert({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Compare' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
            { type: 'image_url', image_url: { url: 'https://example.com/cat.WEBP?size=large' } },
            { type: 'image_url', image_url: { url: 'https://example.com/render', detail: 'low' } },
          ],
        },
      ],
    })
    expect(body.contents[0]?.parts).toEqual([
      { text: 'Compare' },
      { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } },
      { fileData: { mimeType: 'image/webp', fileUri: 'https://example.com/cat.WEBP?size=large' } },
      { fileData: { mimeType: 'image/jpeg', fileUri: 'https://example.com/render' } },
    ])
    const notBase64 = { type: 'image_url' as const, image_url: { url: 'data:image/svg+xml,<svg/>' } }
    expect(() => convert({ messages: [{ role: 'user', content: [notBase64] }] })).toThrow(
      expect.objectContaining({ param: 'messages[0].content[0]' }),
    )
  })

  test('converts tools with sanitised schemas and every tool_choice form', () => {
    const tools: ChatRequest['tools'] = [
      {
        type: 'function',
        function: {
          name: 'search',
          description: 'Search the web',
          parameters: {
            $schema: 'http://json-schema.org/draft-07/schema#',
            type: 'object',
            additionalProperties: false,
            properties: { query: { type: 'string' }, limit: { type: ['integer', 'null'], exclusiveMinimum: 0 } },
            required: ['query'],
          },
        },
      },
      { type: 'function', function: { name: 'now', parameters: { type: 'object', properties: {} } } },
    ]
    const body = convert({ tools, tool_choice: 'auto' })
    expect(body.tools).toEqual([
      {
        functionDeclarations: [
          {
            name: 'search',
            description: 'Search the web',
            parameters: {
              type: 'object',
              properties: { query: { type: 'string' }, limit: { type: 'integer', nullable: true } },
              required: ['query'],
            },
          },
          { name: 'now' },
        ],
      },
    ])
    expect(body.toolConfig).toEqual({ functionCallingConfig: { mode: 'AUTO' } })
    expect(convert({ tool_choice: 'none' }).toolConfig).toEqual({ functionCallingConfig: { mode: 'NONE' } })
    expect(convert({ tool_choice: 'required' }).toolConfig).toEqual({ functionCallingConfig: { mode: 'ANY' } })
    expect(convert({ tool_choice: { type: 'function', function: { name: 'search' } } }).toolConfig).toEqual({
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['search'] },
    })
    expect(convert({}).toolConfig).toBeUndefined()
  })

  test('maps sampling options, stop, n, seed, JSON modes and reasoning effort into generationConfig', () => {
    const body = convert({
      max_tokens: 100,
      max_completion_tokens: 200,
      temperature: 0,
      top_p: 0.9,
      stop: 'END',
      n: 2,
      seed: 7,
      reasoning_effort: 'low',
      response_format: {
        type: 'json_schema',
        json_schema: {
          name: 'answer',
          schema: { type: 'object', properties: { ok: { type: 'boolean' } }, additionalProperties: false },
        },
      },
    })
    expect(body.generationConfig).toEqual({
      maxOutputTokens: 200,
      temperature: 0,
      topP: 0.9,
      stopSequences: ['END'],
      candidateCount: 2,
      seed: 7,
      responseMimeType: 'application/json',
      responseSchema: { type: 'object', properties: { ok: { type: 'boolean' } } },
      thinkingConfig: { thinkingBudget: 1024, includeThoughts: true },
    })
    expect(convert({ max_tokens: 50, response_format: { type: 'json_object' } }).generationConfig).toEqual({
      maxOutputTokens: 50,
      responseMimeType: 'application/json',
    })
    expect(convert({ reasoning_effort: 'none' }).generationConfig).toEqual({ thinkingConfig: { thinkingBudget: 0 } })
    expect(convert({ reasoning_effort: 'extreme', response_format: { type: 'text' } }).generationConfig).toBeUndefined()
  })
})
