import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import type { FakeProviderHandle } from '../support/fake-provider.ts'
import { startShapingGateway } from '../support/start-shaping-gateway.ts'
import type { TestGateway } from '../support/start-test-gateway.ts'

// output_format on /v1/chat/completions, over real HTTP with the official SDK as the client.

let fake: FakeProviderHandle
let gateway: TestGateway
let client: OpenAI

beforeAll(async () => {
  ;({ fake, gateway } = await startShapingGateway([
    { model: 'plain-model', input: 1, output: 2 },
    { model: 'json-mode-model', input: 1, output: 2, capabilities: ['json'] },
    { model: 'schema-model', input: 1, output: 2, capabilities: ['json', 'json_schema'] },
  ]))
  client = new OpenAI({ apiKey: (await gateway.createKey()).raw, baseURL: gateway.baseUrl, maxRetries: 0 })
})
beforeEach(() => fake.reset())
afterAll(async () => {
  await gateway.stop()
  await fake.close()
})

const personSchema = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer' } },
  required: ['name', 'age'],
  additionalProperties: false,
}

type UsageWithCost = { prompt_tokens: number; completion_tokens: number; total_tokens: number; cost: number }
const chatBodies = () =>
  fake.requests.filter((request) => request.path === '/v1/chat/completions').map((request) => request.body as Record<string, unknown>)

describe('output_format json', () => {
  test('prose-wrapped, then schema-invalid, then valid: a valid object after 2 repairs, usage and cost summed', async () => {
    const answers = [
      'Sure! Here is the person you asked for: {"name": "Ada"} Hope that helps.',
      '{"name": "Ada", "age": "thirty-six"}',
      '{"name": "Ada", "age": 36}',
    ]
    fake.script('plain-model', answers)
    const { data, response } = await client.chat.completions
      .create({
        model: 'fake/plain-model',
        messages: [{ role: 'user', content: 'Describe Ada Lovelace as a person record.' }],
        output_format: { type: 'json', schema: personSchema },
      } as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .withResponse()
    expect(JSON.parse(data.choices[0]?.message.content ?? '')).toEqual({ name: 'Ada', age: 36 })
    expect(response.headers.get('x-switchyard-repairs')).toBe('2')
    const requestId = response.headers.get('x-request-id') ?? ''
    expect(data.id).toBe(`chatcmpl-${requestId}`)
    expect(data.model).toBe('fake/plain-model')
    expect(data.system_fingerprint).toBe('fp_fake')
    expect(data.choices[0]?.finish_reason).toBe('stop')

    const bodies = chatBodies()
    expect(bodies).toHaveLength(3)
    // No native structured output on this model: the schema is described in a system message.
    const firstMessages = bodies[0]?.messages as Array<{ role: string; content: string }>
    expect(firstMessages[0]?.role).toBe('system')
    expect(firstMessages[0]?.content).toContain('"required":["name","age"]')
    // Nothing is known about its JSON support, so no response_format that it might refuse.
    expect(bodies[0]?.response_format).toBeUndefined()
    expect(bodies[0]?.output_format).toBeUndefined()
    // Each repair round carries the previous answer and the validation errors.
    const repair1 = bodies[1]?.messages as Array<{ role: string; content: string }>
    expect(repair1.at(-2)?.role).toBe('assistant')
    expect(repair1.at(-2)?.content).toContain('Hope that helps')
    expect(repair1.at(-1)?.content).toContain("must have required property 'age'")
    const repair2 = bodies[2]?.messages as Array<{ role: string; content: string }>
    expect(repair2.at(-1)?.content).toContain('/age: must be integer')

    // Usage is the sum of the three calls (the fake counts words); cost is the sum, to the micro-dollar.
    const usage = data.usage as unknown as UsageWithCost
    const words = (text: string) => text.split(/\s+/).filter((word) => word !== '').length
    const promptWords = bodies.map((body) =>
      words((body.messages as Array<{ content: string }>).map((message) => message.content).join(' ')),
    )
    const expectedPrompt = promptWords.reduce((sum, count) => sum + count, 0)
    expect(usage.prompt_tokens).toBe(expectedPrompt)
    const answerWords = answers.map(words)
    expect(usage.completion_tokens).toBe(answerWords.reduce((sum, count) => sum + count, 0))
    // USD 1 and 2 per million tokens: one micro-dollar per input token, two per output token, per call.
    const expectedMicros = promptWords.reduce((sum, count, index) => sum + count * 1 + (answerWords[index] ?? 0) * 2, 0)
    expect(Math.round(usage.cost * 1_000_000)).toBe(expectedMicros)
    expect(response.headers.get('x-switchyard-cost-usd')).toBe(usage.cost.toFixed(6))
    const row = await gateway.waitForLogRow(requestId)
    expect(row).toMatchObject({ status: 200, model: 'fake/plain-model', cost_micros: expectedMicros })
    expect(row.usage.input_tokens).toBe(expectedPrompt)
    // Money: each round was held and settled on its own (its own worst case, its own id), so the
    // ledger has one charge per round — `<id>`, `<id>_r1`, `<id>_r2` — adding up to the cost.
    type LedgerRow = { id: string; amount_micros: number }
    const roundIds = [requestId, `${requestId}_r1`, `${requestId}_r2`]
    let charges: LedgerRow[] = []
    for (let attempt = 0; attempt < 200 && charges.length < 3; attempt++) {
      const ledger = await gateway.admin<{ data: LedgerRow[] }>('GET', `/api/v1/admin/ledger?user_id=${gateway.defaultUserId}&limit=1000`)
      charges = ledger.body.data.filter((entry) => roundIds.includes(entry.id))
      if (charges.length < 3) await Bun.sleep(25)
    }
    expect(charges.map((entry) => entry.id).sort()).toEqual(roundIds)
    expect(-charges.reduce((sum, entry) => sum + entry.amount_micros, 0)).toBe(expectedMicros)
  })

  test('a model that never complies ends in 422 with the errors and the last output', async () => {
    fake.script('plain-model', ['I would rather not.', 'Still prose.', 'No JSON here either.'])
    const error = await client.chat.completions
      .create({
        model: 'fake/plain-model',
        messages: [{ role: 'user', content: 'json please' }],
        output_format: { type: 'json', schema: personSchema },
      } as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(OpenAI.UnprocessableEntityError)
    const apiError = error as InstanceType<typeof OpenAI.UnprocessableEntityError>
    expect(apiError.status).toBe(422)
    const body = apiError.error as { code: string; validation_errors: string[]; last_output: string; usage: UsageWithCost }
    expect(body.code).toBe('output_validation_failed')
    expect(body.validation_errors).toEqual(['the answer contains no JSON value'])
    expect(body.last_output).toBe('No JSON here either.')
    expect(body.usage.completion_tokens).toBe(4 + 2 + 4)
    expect(chatBodies()).toHaveLength(3)
    const row = await gateway.waitForLogRow(apiError.requestID ?? apiError.headers?.get('x-request-id') ?? '')
    expect(row).toMatchObject({ status: 422, error_code: 'output_validation_failed' })
    expect(row.cost_micros).toBe(Math.round(body.usage.cost * 1_000_000))
  })

  test('a model with structured output gets the schema natively', async () => {
    fake.script('schema-model', '{"name":"Grace","age":85}')
    const data = await client.chat.completions.create({
      model: 'fake/schema-model',
      messages: [{ role: 'user', content: 'Grace Hopper' }],
      output_format: { type: 'json', schema: personSchema },
    } as OpenAI.ChatCompletionCreateParamsNonStreaming)
    expect(data.choices[0]?.message.content).toBe('{"name":"Grace","age":85}')
    expect(chatBodies()[0]?.response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'output', schema: personSchema, strict: false },
    })
    fake.script('json-mode-model', '{"name":"Grace","age":85}')
    await client.chat.completions.create({
      model: 'fake/json-mode-model',
      messages: [{ role: 'user', content: 'Grace Hopper' }],
      output_format: { type: 'json', schema: personSchema },
    } as OpenAI.ChatCompletionCreateParamsNonStreaming)
    expect(chatBodies()[1]?.response_format).toEqual({ type: 'json_object' })
  })
})

describe('other formats and errors', () => {
  test('xml with a required root, repaired once; text strips markdown; strip_think', async () => {
    fake.script('plain-model', ['<order><item>tea</order>', 'Fixed: <order><item>tea</item></order>'])
    const xml = await client.chat.completions.create({
      model: 'fake/plain-model',
      messages: [{ role: 'user', content: 'order' }],
      output_format: { type: 'xml', root_element: 'order' },
    } as OpenAI.ChatCompletionCreateParamsNonStreaming)
    expect(xml.choices[0]?.message.content).toBe('<order><item>tea</item></order>')

    fake.script('plain-model', '<think>The user wants bold.</think># Heading\n\nSome **bold** text.')
    const text = await client.chat.completions.create({
      model: 'fake/plain-model',
      messages: [{ role: 'user', content: 'plain' }],
      output_format: { type: 'text', strip_think: true },
    } as OpenAI.ChatCompletionCreateParamsNonStreaming)
    expect(text.choices[0]?.message.content).toBe('Heading\n\nSome bold text.')
    expect(text.usage?.completion_tokens).toBeGreaterThan(0)
  })

  test('a tool call is passed through unshaped', async () => {
    const data = await client.chat.completions.create({
      model: 'fake/plain-model',
      messages: [{ role: 'user', content: 'What is the weather in Paris?' }],
      tools: [
        { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
      ],
      output_format: { type: 'json', schema: personSchema },
    } as OpenAI.ChatCompletionCreateParamsNonStreaming)
    expect(JSON.stringify(data.choices[0]?.message.tool_calls)).toContain('"name":"get_weather"')
    expect(chatBodies()).toHaveLength(1)
  })

  test('bad output_format is a 400 naming the field; streaming with output_format is a 400', async () => {
    const bad = await client.chat.completions
      .create({
        model: 'fake/plain-model',
        messages: [{ role: 'user', content: 'x' }],
        output_format: { type: 'json', schema: { type: 'nonsense' } },
      } as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .catch((thrown: unknown) => thrown)
    expect(bad).toBeInstanceOf(OpenAI.BadRequestError)
    expect((bad as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('output_format.schema')
    const streamed = await client.chat.completions
      .create({
        model: 'fake/plain-model',
        messages: [{ role: 'user', content: 'x' }],
        stream: true,
        output_format: { type: 'markdown' },
      } as unknown as OpenAI.ChatCompletionCreateParamsStreaming)
      .catch((thrown: unknown) => thrown)
    expect(streamed).toBeInstanceOf(OpenAI.BadRequestError)
    expect((streamed as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('stream')
    expect(chatBodies()).toHaveLength(0)
  })
})
