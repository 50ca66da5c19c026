import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { type FakeProviderHandle, startFakeProvider } from '../support/fake-provider.ts'
import { settle } from '../support/settle.ts'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// Every provider family through the gateway over real HTTP, with the official OpenAI SDK as the
// client and a loopback fake provider speaking each upstream's own wire format.

const upstreamKeys = { openai: 'sk-upstream-openai-CANARY-1234', anthropic: 'sk-ant-CANARY-5678', gemini: 'AIza-CANARY-9012' }

let fake: FakeProviderHandle
let gateway: TestGateway
let client: OpenAI

beforeAll(async () => {
  fake = startFakeProvider()
  gateway = await startTestGateway({
    env: {
      OPENAI_API_KEY: upstreamKeys.openai,
      OPENAI_BASE_URL: `${fake.url}/v1`,
      ANTHROPIC_API_KEY: upstreamKeys.anthropic,
      ANTHROPIC_BASE_URL: fake.url,
      GEMINI_API_KEY: upstreamKeys.gemini,
      GEMINI_BASE_URL: fake.url,
      SWITCHYARD_UPSTREAM_TIMEOUT_MS: '1500',
      // The fault-injection models (`openai/fail-429`, ...) are unlisted, hence unpriced.
      SWITCHYARD_UNPRICED_MODEL_CEILING_USD: '1',
    },
  })
  client = new OpenAI({ apiKey: (await gateway.createKey()).raw, baseURL: gateway.baseUrl, maxRetries: 0 })
})

beforeEach(() => fake.reset())

afterAll(async () => {
  await gateway.stop()
  await fake.close()
})

const families = [
  { name: 'OpenAI', model: 'openai/gpt-4o-mini', path: '/v1/chat/completions', key: upstreamKeys.openai },
  { name: 'Anthropic', model: 'anthropic/claude-haiku-4-5', path: '/v1/messages', key: upstreamKeys.anthropic },
  { name: 'Gemini', model: 'gemini/gemini-2.5-flash', path: ':generateContent', key: upstreamKeys.gemini },
]

const weatherTool = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
  },
}

for (const family of families) {
  describe(`${family.name} through the gateway`, () => {
    test('chat: reply, usage with cost, request log row', async () => {
      const { data, response } = await client.chat.completions
        .create({
          model: family.model,
          messages: [
            { role: 'system', content: 'sys' },
            { role: 'user', content: 'hello there friend' },
          ],
        })
        .withResponse()
      expect(data.choices[0]?.message.content).toBe('echo: hello there friend')
      expect(data.model).toBe(family.model)
      expect(data.usage?.prompt_tokens).toBeGreaterThan(0)
      const cost = (data.usage as unknown as { cost: number }).cost
      expect(cost).toBeGreaterThan(0)
      expect(response.headers.get('x-switchyard-cost-usd')).toBe(cost.toFixed(6))
      const upstream = fake.requests.at(-1)
      expect(upstream?.path.includes(family.path) || upstream?.path.endsWith(family.path)).toBe(true)
      expect(JSON.stringify(upstream?.headers)).toContain(family.key)
      const row = await gateway.waitForLogRow(response.headers.get('x-request-id') ?? '')
      expect(row).toMatchObject({ status: 200, model: family.model, stream: false })
      expect(row.cost_micros).toBe(Math.round(cost * 1_000_000))
    })

    test('stream with include_usage: text, one usage chunk, ttft logged', async () => {
      const { data: stream, response } = await client.chat.completions
        .create({
          model: family.model,
          stream: true,
          stream_options: { include_usage: true },
          messages: [{ role: 'user', content: 'one two three four' }],
        })
        .withResponse()
      let text = ''
      const usages = []
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? ''
        if (chunk.usage != null) usages.push(chunk.usage)
      }
      expect(text).toBe('echo: one two three four')
      expect(usages).toHaveLength(1)
      expect(usages[0]?.completion_tokens).toBeGreaterThan(0)
      const row = await gateway.waitForLogRow(response.headers.get('x-request-id') ?? '')
      expect(row).toMatchObject({ status: 200, stream: true })
      expect(row.ttft_ms).not.toBeNull()
      expect(row.usage.output_tokens).toBe(usages[0]?.completion_tokens ?? -1)
    })

    test('stream without include_usage: upstream still asked for usage, client gets none, log has it', async () => {
      const { data: stream, response } = await client.chat.completions
        .create({ model: family.model, stream: true, messages: [{ role: 'user', content: 'quiet usage please' }] })
        .withResponse()
      let usageChunks = 0
      for await (const chunk of stream) if (chunk.usage != null) usageChunks++
      expect(usageChunks).toBe(0)
      if (family.name === 'OpenAI')
        expect((fake.requests.at(-1)?.body as { stream_options?: unknown } | undefined)?.stream_options).toEqual({ include_usage: true })
      const row = await gateway.waitForLogRow(response.headers.get('x-request-id') ?? '')
      expect(row.usage.output_tokens).toBeGreaterThan(0)
    })

    test('tools: streamed argument fragments reassemble into one call', async () => {
      const stream = await client.chat.completions.create({
        model: family.model,
        stream: true,
        tools: [weatherTool],
        messages: [{ role: 'user', content: 'what is the weather in Paris' }],
      })
      const calls = new Map<number, { id: string; name: string; arguments: string }>()
      let fragments = 0
      let finish: string | null = null
      for await (const chunk of stream) {
        const choice = chunk.choices[0]
        if (choice?.finish_reason != null) finish = choice.finish_reason
        for (const delta of choice?.delta.tool_calls ?? []) {
          const call = calls.get(delta.index) ?? { id: '', name: '', arguments: '' }
          call.id ||= delta.id ?? ''
          call.name ||= delta.function?.name ?? ''
          if (delta.function?.arguments != null) {
            call.arguments += delta.function.arguments
            fragments++
          }
          calls.set(delta.index, call)
        }
      }
      expect(finish).toBe('tool_calls')
      expect(calls.size).toBe(1)
      expect(calls.get(0)?.name).toBe('get_weather')
      expect(calls.get(0)?.id).not.toBe('')
      expect(JSON.parse(calls.get(0)?.arguments ?? '')).toEqual({ city: 'Paris' })
      if (family.name !== 'Gemini') expect(fragments).toBeGreaterThan(1)
    })

    test('tools: non-streaming call, then the tool result goes back upstream', async () => {
      const first = await client.chat.completions.create({
        model: family.model,
        tools: [weatherTool],
        messages: [{ role: 'user', content: 'weather in Paris?' }],
      })
      const call = first.choices[0]?.message.tool_calls?.[0]
      expect(first.choices[0]?.finish_reason).toBe('tool_calls')
      if (call?.type !== 'function') throw new Error('expected a function call')
      expect(JSON.parse(call.function.arguments)).toEqual({ city: 'Paris' })
      const second = await client.chat.completions.create({
        model: family.model,
        tools: [weatherTool],
        messages: [
          { role: 'user', content: 'weather in Paris?' },
          { role: 'assistant', content: null, tool_calls: [call] },
          { role: 'tool', tool_call_id: call.id, content: '{"temperature":21}' },
          { role: 'user', content: 'thanks' },
        ],
      })
      // Anthropic and Gemini need alternating turns, so the tool result and the next user message
      // travel in one user turn; the fake echoes all of that turn's text.
      expect(second.choices[0]?.message.content).toEndWith('thanks')
      expect(JSON.stringify(fake.requests.at(-1)?.body)).toContain('temperature')
    })

    test('upstream 429 reaches the SDK as RateLimitError with Retry-After', async () => {
      const { response } = await client.chat.completions
        .create({ model: `${family.model.split('/')[0]}/fail-429`, messages: [{ role: 'user', content: 'x' }] })
        .withResponse()
        .catch((error) => ({ response: error as { status: number; headers: Headers } }))
      expect(response.status).toBe(429)
      expect(response.headers.get('retry-after')).toBe('1')
    })

    test('upstream 500 is a 502 InternalServerError; upstream 401 is a 502 that never shows the upstream key', async () => {
      const provider = family.model.split('/')[0]
      const serverError = await settle(
        client.chat.completions.create({ model: `${provider}/fail-500`, messages: [{ role: 'user', content: 'x' }] }),
      )
      expect(serverError).toBeInstanceOf(OpenAI.InternalServerError)
      expect((serverError as { status: number }).status).toBe(502)
      fake.enqueue({ kind: 'status', status: 401 })
      const authError = await settle(client.chat.completions.create({ model: family.model, messages: [{ role: 'user', content: 'x' }] }))
      expect((authError as { status: number }).status).toBe(502)
      expect(JSON.stringify(authError)).not.toContain('CANARY')
      expect((authError as Error).message).not.toContain('CANARY')
    })
  })
}

describe('failover, timeouts and broken streams', () => {
  test('models: [...] moves to the next candidate before the first byte', async () => {
    const { data, response } = await client.chat.completions
      .create({
        model: 'openai/fail-500',
        models: ['anthropic/claude-haiku-4-5'],
        messages: [{ role: 'user', content: 'fallback works' }],
      } as never)
      .withResponse()
    expect((data as OpenAI.ChatCompletion).choices[0]?.message.content).toBe('echo: fallback works')
    expect(response.headers.get('x-switchyard-model')).toBe('anthropic/claude-haiku-4-5')
    expect(response.headers.get('x-switchyard-fallbacks')).toBe('1')
    expect(response.headers.get('x-switchyard-route-reason')).toBe('fallback')
  })

  test('a stream that fails before its first chunk falls over to the next candidate', async () => {
    const stream = await client.chat.completions.create({
      model: 'openai/cut-0',
      models: ['gemini/gemini-2.5-flash'],
      stream: true,
      messages: [{ role: 'user', content: 'still here' }],
    } as never)
    let text = ''
    for await (const chunk of stream as unknown as AsyncIterable<OpenAI.ChatCompletionChunk>) text += chunk.choices[0]?.delta.content ?? ''
    expect(text).toBe('echo: still here')
  })

  test('an upstream that never answers is a 504 after the first-byte timeout', async () => {
    const started = Date.now()
    const error = await settle(client.chat.completions.create({ model: 'openai/hang', messages: [{ role: 'user', content: 'x' }] }))
    expect((error as { status: number }).status).toBe(504)
    expect(Date.now() - started).toBeLessThan(5000)
  })

  test('a stream cut mid-way ends with an error event, never a spliced answer', async () => {
    const stream = await client.chat.completions.create({
      model: 'openai/cut-3',
      models: ['anthropic/claude-haiku-4-5'],
      stream: true,
      messages: [{ role: 'user', content: 'a b c d e f g h' }],
    } as never)
    let text = ''
    const error = await settle(
      (async () => {
        for await (const chunk of stream as unknown as AsyncIterable<OpenAI.ChatCompletionChunk>)
          text += chunk.choices[0]?.delta.content ?? ''
      })(),
    )
    expect(error).toBeInstanceOf(OpenAI.APIError)
    expect(text.length).toBeGreaterThan(0)
    expect('echo: a b c d e f g h'.startsWith(text)).toBe(true)
    expect(fake.requests.filter((request) => request.path === '/v1/messages')).toHaveLength(0)
  })

  test('a client that leaves before the answer aborts the upstream request within a second', async () => {
    const controller = new AbortController()
    const abortsBefore = fake.aborts
    const asked = settle(
      client.chat.completions.create(
        { model: 'openai/hang', messages: [{ role: 'user', content: 'an answer that never comes' }] },
        { signal: controller.signal },
      ),
    )
    // Leave once the provider has the request and is sitting on it.
    const arrivedBy = Date.now() + 2000
    while (!fake.requests.some((request) => JSON.stringify(request.body).includes('never comes')) && Date.now() < arrivedBy) {
      await Bun.sleep(5)
    }
    controller.abort()
    const abortedAt = Date.now()
    expect(await asked).toBeInstanceOf(Error)
    await fake.waitForAborts(abortsBefore + 1, 1000)
    expect(Date.now() - abortedAt).toBeLessThan(1000)
  })

  test('a client that aborts a stream aborts the upstream request within a second', async () => {
    const controller = new AbortController()
    const stream = await client.chat.completions.create(
      { model: 'openai/drip-200', stream: true, messages: [{ role: 'user', content: 'many words to stream slowly one by one' }] },
      { signal: controller.signal },
    )
    const reading = settle(
      (async () => {
        for await (const chunk of stream) {
          if ((chunk.choices[0]?.delta.content ?? '') !== '') controller.abort()
        }
      })(),
    )
    await reading
    const abortedAt = Date.now()
    await fake.waitForAborts(1, 1000)
    expect(Date.now() - abortedAt).toBeLessThan(1000)
  })
})
