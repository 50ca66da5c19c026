import { afterAll, beforeEach, describe, expect, test } from 'bun:test'
import Anthropic from '@anthropic-ai/sdk'
import OpenAI from 'openai'
import { startFakeProvider } from './fake-provider.ts'

const apiKey = 'sk-fake-test-key'
const provider = startFakeProvider()
const openai = new OpenAI({ apiKey, baseURL: `${provider.url}/v1`, maxRetries: 0 })
const anthropic = new Anthropic({ apiKey, baseURL: provider.url, maxRetries: 0 })
const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    parameters: { type: 'object', properties: { city: { type: 'string' } } },
  },
}

afterAll(() => provider.close())
beforeEach(() => provider.reset())

/** The JSON payloads of an SSE body's `data:` lines. */
function readDataFrames(text: string): unknown[] {
  return text
    .split('\n\n')
    .filter((frame) => frame.startsWith('data: '))
    .map((frame) => JSON.parse(frame.slice('data: '.length)))
}

function postGemini(path: string, body: unknown): Promise<Response> {
  return fetch(`${provider.url}/v1beta/models/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-goog-api-key': apiKey },
    body: JSON.stringify(body),
  })
}

describe('OpenAI chat completions', () => {
  test('non-stream echoes the last user message with deterministic usage', async () => {
    const { data, request_id } = await openai.chat.completions
      .create({
        model: 'fake-model',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hello there' },
        ],
      })
      .withResponse()
    expect(data.choices[0]?.message.content).toBe('echo: Hello there')
    expect(data.choices[0]?.finish_reason).toBe('stop')
    expect(data.usage).toMatchObject({
      prompt_tokens: 4,
      completion_tokens: 3,
      total_tokens: 7,
      prompt_tokens_details: { cached_tokens: 0 },
    })
    expect(request_id).toBe('req_fake_1')
  })

  test('streams one chunk per word without usage unless asked', async () => {
    const stream = await openai.chat.completions.create({
      model: 'fake-model',
      stream: true,
      messages: [{ role: 'user', content: 'one two three' }],
    })
    const chunks = await Array.fromAsync(stream)
    const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')
    expect(text).toBe('echo: one two three')
    expect(chunks.filter((chunk) => chunk.choices[0]?.delta.content).length).toBe(4)
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop')
    expect(chunks.every((chunk) => chunk.usage === undefined)).toBe(true)
  })

  test('include_usage adds a usage chunk with choices: [] before [DONE]', async () => {
    const stream = await openai.chat.completions.create({
      model: 'fake-model',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'count these words' }],
    })
    const chunks = await Array.fromAsync(stream)
    const last = chunks.at(-1)
    expect(last?.choices).toEqual([])
    expect(last?.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 })
    expect(chunks.slice(0, -1).every((chunk) => chunk.usage === null)).toBe(true)
  })

  test('streams a tool call as several argument fragments on one index', async () => {
    const stream = await openai.chat.completions.create({
      model: 'fake-model',
      stream: true,
      tools: [weatherTool],
      messages: [{ role: 'user', content: 'What is the weather like?' }],
    })
    const chunks = await Array.fromAsync(stream)
    const calls = chunks.flatMap((chunk) => chunk.choices[0]?.delta.tool_calls ?? [])
    expect(calls[0]).toMatchObject({ index: 0, type: 'function', function: { name: 'get_weather' } })
    const fragments = calls.map((call) => call.function?.arguments ?? '').filter(Boolean)
    expect(fragments.length).toBeGreaterThan(2)
    expect(calls.every((call) => call.index === 0)).toBe(true)
    expect(JSON.parse(fragments.join(''))).toEqual({ city: 'Paris' })
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('tool_calls')
  })

  test('answers a tool result with text, not another tool call', async () => {
    const completion = await openai.chat.completions.create({
      model: 'fake-model',
      tools: [weatherTool],
      messages: [
        { role: 'user', content: 'What is the weather like?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            {
              id: 'call_1',
              type: 'function',
              function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
            },
          ],
        },
        { role: 'tool', tool_call_id: 'call_1', content: 'sunny' },
      ],
    })
    expect(completion.choices[0]?.message.content).toBe('echo: sunny')
  })

  test('non-stream tool call', async () => {
    const completion = await openai.chat.completions.create({
      model: 'fake-model',
      tools: [weatherTool],
      messages: [{ role: 'user', content: 'weather in France?' }],
    })
    const call = completion.choices[0]?.message.tool_calls?.[0]
    expect(call?.type === 'function' ? call.function : undefined).toEqual({
      name: 'get_weather',
      arguments: '{"city":"Paris"}',
    })
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls')
  })
})

describe('OpenAI legacy completions, embeddings and models', () => {
  test('legacy completions, plain and streamed', async () => {
    const completion = await openai.completions.create({ model: 'fake-model', prompt: 'say hi' })
    expect(completion.object).toBe('text_completion')
    expect(completion.choices[0]?.text).toBe('echo: say hi')
    const stream = await openai.completions.create({
      model: 'fake-model',
      prompt: 'say hi',
      stream: true,
      stream_options: { include_usage: true },
    })
    const chunks = await Array.fromAsync(stream)
    expect(chunks.map((chunk) => chunk.choices[0]?.text ?? '').join('')).toBe('echo: say hi')
    expect(chunks.at(-1)?.usage?.completion_tokens).toBe(3)
  })

  test('embeddings are deterministic 8-float vectors, as floats or base64', async () => {
    const input = ['alpha beta', 'gamma']
    const viaBase64 = await openai.embeddings.create({ model: 'fake-embedding-model', input })
    const viaFloat = await openai.embeddings.create({
      model: 'fake-embedding-model',
      input,
      encoding_format: 'float',
    })
    expect(viaBase64.data.map((item) => item.embedding)).toEqual(viaFloat.data.map((item) => item.embedding))
    const [first, second] = viaFloat.data
    expect(first?.embedding).toHaveLength(8)
    expect(first?.embedding).not.toEqual(second?.embedding)
    expect(viaFloat.usage.prompt_tokens).toBe(3)
  })

  test('lists models in the shape the caller expects', async () => {
    const ids = (await Array.fromAsync(openai.models.list())).map((model) => model.id)
    expect(ids).toContain('fake-model')
    const anthropicModels = await anthropic.models.list()
    expect(anthropicModels.data[0]).toMatchObject({ type: 'model', id: 'fake-model' })
  })
})

describe('Anthropic messages', () => {
  test('non-stream reply with Anthropic usage', async () => {
    const message = await anthropic.messages.create({
      model: 'claude-fake',
      max_tokens: 100,
      system: 'Be brief.',
      messages: [{ role: 'user', content: 'Hello there' }],
    })
    expect(message.content).toEqual([{ type: 'text', text: 'echo: Hello there' }] as never)
    expect(message.stop_reason).toBe('end_turn')
    expect(message.usage).toMatchObject({
      input_tokens: 4,
      output_tokens: 3,
      cache_read_input_tokens: 0,
      cache_creation_input_tokens: 0,
    })
  })

  test('stream sends the named events in order with cumulative usage', async () => {
    const stream = await anthropic.messages.create({
      model: 'claude-fake',
      max_tokens: 100,
      stream: true,
      messages: [{ role: 'user', content: 'one two' }],
    })
    const events = await Array.fromAsync(stream)
    const types = [...new Set(events.map((event) => event.type))]
    expect(types).toEqual([
      'message_start',
      'content_block_start',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ])
    const text = events
      .map((event) => (event.type === 'content_block_delta' && event.delta.type === 'text_delta' ? event.delta.text : ''))
      .join('')
    expect(text).toBe('echo: one two')
    const delta = events.find((event) => event.type === 'message_delta')
    expect(delta?.type === 'message_delta' ? delta.usage : undefined).toMatchObject({
      input_tokens: 2,
      output_tokens: 3,
    })
  })

  test('streams a tool call as input_json_delta fragments', async () => {
    const stream = anthropic.messages.stream({
      model: 'claude-fake',
      max_tokens: 100,
      tools: [{ name: 'get_weather', input_schema: { type: 'object' } }],
      messages: [{ role: 'user', content: 'weather please' }],
    })
    const fragments: string[] = []
    stream.on('inputJson', (partialJson) => fragments.push(partialJson))
    const message = await stream.finalMessage()
    expect(fragments.filter(Boolean).length).toBeGreaterThan(2)
    expect(message.stop_reason).toBe('tool_use')
    expect(message.content[0]).toMatchObject({
      type: 'tool_use',
      name: 'get_weather',
      input: { city: 'Paris' },
    })
  })
})

describe('Gemini', () => {
  const contents = [{ role: 'user', parts: [{ text: 'Hello there' }] }]

  test('generateContent with usageMetadata', async () => {
    const response = await postGemini('gemini-fake:generateContent', {
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents,
    })
    expect(await response.json()).toMatchObject({
      candidates: [{ content: { role: 'model', parts: [{ text: 'echo: Hello there' }] }, finishReason: 'STOP' }],
      usageMetadata: { promptTokenCount: 4, candidatesTokenCount: 3, totalTokenCount: 7 },
    })
  })

  test('streamGenerateContent?alt=sse sends one frame per word and no [DONE]', async () => {
    const response = await postGemini('gemini-fake:streamGenerateContent?alt=sse', { contents })
    const body = await response.text()
    expect(body).not.toContain('[DONE]')
    const frames = readDataFrames(body) as { candidates: { content: { parts: { text: string }[] } }[] }[]
    expect(frames.length).toBe(3)
    expect(frames.map((frame) => frame.candidates[0]?.content.parts[0]?.text).join('')).toBe('echo: Hello there')
    expect(provider.requests[0]).toMatchObject({
      path: '/v1beta/models/gemini-fake:streamGenerateContent',
      search: '?alt=sse',
    })
  })

  test('a weather question with tools gets one functionCall', async () => {
    const response = await postGemini('gemini-fake:streamGenerateContent?alt=sse', {
      contents: [{ role: 'user', parts: [{ text: 'weather today?' }] }],
      tools: [{ functionDeclarations: [{ name: 'get_weather' }] }],
    })
    const frames = readDataFrames(await response.text())
    expect(frames).toHaveLength(1)
    expect(frames[0]).toMatchObject({
      candidates: [{ content: { parts: [{ functionCall: { name: 'get_weather', args: { city: 'Paris' } } }] } }],
    })
  })

  test('batchEmbedContents', async () => {
    const response = await postGemini('gemini-fake:batchEmbedContents', {
      requests: [
        { model: 'models/gemini-fake', content: { parts: [{ text: 'alpha beta' }] } },
        { model: 'models/gemini-fake', content: { parts: [{ text: 'gamma' }] } },
      ],
    })
    const { embeddings } = (await response.json()) as { embeddings: { values: number[] }[] }
    expect(embeddings).toHaveLength(2)
    expect(embeddings[0]?.values).toHaveLength(8)
    const openaiVector = await openai.embeddings.create({ model: 'x', input: 'alpha beta' })
    expect(embeddings[0]?.values).toEqual(openaiVector.data[0]?.embedding ?? [])
  })
})

test('records requests with lowercased headers and parsed bodies', async () => {
  await openai.chat.completions.create({
    model: 'fake-model',
    messages: [{ role: 'user', content: 'hi' }],
  })
  const [recorded] = provider.requests
  expect(recorded?.method).toBe('POST')
  expect(recorded?.path).toBe('/v1/chat/completions')
  expect(recorded?.headers.authorization).toBe(`Bearer ${apiKey}`)
  expect(recorded?.body).toMatchObject({ model: 'fake-model' })
  expect(recorded?.receivedAt).toBeNumber()
})
