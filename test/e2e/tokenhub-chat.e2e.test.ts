import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import { type FakeProviderHandle, startFakeProvider } from '../support/fake-provider.ts'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// TokenHub's POST /v1/chat over real HTTP (it is not an OpenAI SDK call, so plain fetch).

let fake: FakeProviderHandle
let gateway: TestGateway
let rawKey: string

beforeAll(async () => {
  fake = startFakeProvider()
  gateway = await startTestGateway({ env: { OPENAI_API_KEY: 'sk-upstream', OPENAI_BASE_URL: `${fake.url}/v1` } })
  rawKey = (await gateway.createKey()).raw
})

beforeEach(() => fake.reset())

afterAll(async () => {
  await gateway.stop()
  await fake.close()
})

const chat = (body: unknown) =>
  fetch(`${gateway.baseUrl}/chat`, {
    method: 'POST',
    headers: { authorization: `Bearer ${rawKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })

type Envelope = {
  negotiated_model: string
  estimated_cost_usd: number
  routing_reason: string
  response: { choices: Array<{ message: { content: string } }>; usage: { cost: number } }
}

async function explanationOf(requestId: string) {
  for (let tries = 0; tries < 100; tries++) {
    const found = await gateway.admin<{ routing: Record<string, unknown> | null }>('GET', `/api/v1/admin/requests/${requestId}`)
    if (found.status === 200 && found.body.routing != null) return found.body.routing
    await Bun.sleep(25)
  }
  throw new Error('no explanation')
}

describe('POST /v1/chat', () => {
  test('routes, answers in TokenHub’s envelope with the real cost, and never forwards meta', async () => {
    const response = await chat({
      request: {
        messages: [{ role: 'user', content: 'Say hello' }],
        parameters: { temperature: 0.3, max_tokens: 64 },
        meta: { user_id: 'u-secret-123' },
      },
      policy: { mode: 'cheap', max_budget_usd: 0.05, max_latency_ms: 15_000 },
      output_format: { type: 'markdown' },
    })
    expect(response.status).toBe(200)
    const body = (await response.json()) as Envelope
    expect(body.negotiated_model).toStartWith('openai/')
    expect(response.headers.get('x-negotiated-model')).toBe(body.negotiated_model)
    expect(body.routing_reason).toMatch(/^auto-.*-cheap/)
    expect(body.response.choices[0]?.message.content).toBe('echo: Say hello')
    expect(body.estimated_cost_usd).toBe(body.response.usage.cost)
    expect(body.estimated_cost_usd).toBeGreaterThan(0)
    const upstream = JSON.stringify(fake.requests.map((request) => request.body))
    expect(upstream).not.toContain('u-secret-123')
    expect(upstream).not.toContain('meta')
    expect(upstream).not.toContain('output_format')
    expect(upstream).toContain('"temperature":0.3')
  })

  test('model_hint names the model; estimated_input_tokens feeds the estimate and the bandit bucket', async () => {
    const response = await chat({
      request: { messages: [{ role: 'user', content: 'hi' }], model_hint: 'gpt-4o-mini', estimated_input_tokens: 50_000 },
    })
    const body = (await response.json()) as Envelope
    expect(body.negotiated_model).toBe('openai/gpt-4o-mini')
    expect(body.routing_reason).toBe('requested')
    const explanation = await explanationOf(response.headers.get('x-request-id') ?? '')
    expect(explanation).toMatchObject({ bucket: 'large', estimate: { inputTokens: 50_000 } })
  })

  test('policy min_weight and mode steer the choice; directives work here too and are stripped', async () => {
    const response = await chat({
      request: { messages: [{ role: 'user', content: 'Plan it.\n@@switchyard policy=high_confidence' }] },
      policy: { mode: 'cheap', min_weight: 7 },
    })
    const body = (await response.json()) as Envelope
    const explanation = await explanationOf(response.headers.get('x-request-id') ?? '')
    expect(explanation).toMatchObject({ policy: 'high_confidence', constraints: { minWeight: 7, policy: 'high_confidence' } })
    const models = await gateway.admin<{ data: Array<{ id: string; weight: number }> }>('GET', '/api/v1/admin/models')
    expect(models.body.data.find((model) => model.id === body.negotiated_model)?.weight).toBeGreaterThanOrEqual(7)
    expect(JSON.stringify(fake.requests.map((request) => request.body))).not.toContain('@@switchyard')
  })

  test('streaming: OpenAI SSE with the negotiated model header and a final usage chunk carrying the cost', async () => {
    const response = await chat({ request: { messages: [{ role: 'user', content: 'stream it' }], stream: true } })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/event-stream')
    expect(response.headers.get('x-negotiated-model')).toStartWith('openai/')
    const frames = (await response.text())
      .split('\n\n')
      .map((frame) => frame.replace(/^data: /, '').trim())
      .filter((frame) => frame !== '')
    expect(frames.at(-1)).toBe('[DONE]')
    const chunks = frames
      .slice(0, -1)
      .map((frame) => JSON.parse(frame) as { choices: Array<{ delta: { content?: string } }>; usage?: { cost: number } })
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('echo: stream it')
    expect(chunks.at(-1)?.usage?.cost).toBeGreaterThan(0)
  })

  test.each([
    [{ request: { messages: [] } }, 'request.messages'],
    [{ request: { messages: [{ role: 'user', content: 'x' }] }, policy: { mode: 'vote' } }, 'policy.mode'],
    [{ request: { messages: [{ role: 'user', content: 'x' }] }, policy: { max_budget_usd: 101 } }, 'policy.max_budget_usd'],
    [{ request: { messages: [{ role: 'user', content: 'x' }] }, policy: { max_latency_ms: 300_001 } }, 'policy.max_latency_ms'],
    [{ request: { messages: [{ role: 'user', content: 'x' }] }, policy: { min_weight: 11 } }, 'policy.min_weight'],
    [{ request: { messages: [{ role: 'user', content: 'x' }], parameters: { model: 'x' } } }, 'request.parameters.model'],
    [{ messages: [] }, 'request'],
  ])('bad input %j is a 400 naming %s', async (body, param) => {
    const response = await chat(body)
    expect(response.status).toBe(400)
    expect(((await response.json()) as { error: { param: string } }).error.param).toBe(param)
    expect(fake.requests).toHaveLength(0)
  })

  test('output_format json: shaped and repaired as on /v1/chat/completions, the cost of every round in the envelope', async () => {
    const schema = { type: 'object', properties: { name: { type: 'string' }, age: { type: 'integer' } }, required: ['name', 'age'] }
    fake.script('gpt-4o-mini', ['Here it is: {"name": "Ada"} as asked.', '{"name": "Ada", "age": 36}'])
    const response = await chat({
      request: { messages: [{ role: 'user', content: 'Ada as a record' }], model_hint: 'gpt-4o-mini' },
      output_format: { type: 'json', schema },
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('x-switchyard-repairs')).toBe('1')
    const body = (await response.json()) as Envelope & { response: { id: string } }
    expect(JSON.parse(body.response.choices[0]?.message.content ?? '')).toEqual({ name: 'Ada', age: 36 })
    expect(body.negotiated_model).toBe('openai/gpt-4o-mini')
    expect(body.response.id).toBe(`chatcmpl-${response.headers.get('x-request-id')}`)
    // Both rounds are in the cost: the envelope's, the usage's and the log row's agree.
    expect(body.estimated_cost_usd).toBe(body.response.usage.cost)
    const bodies = fake.requests.filter((request) => request.path === '/v1/chat/completions')
    expect(bodies).toHaveLength(2)
    expect(JSON.stringify(bodies[1]?.body)).toContain("must have required property 'age'")
    const row = await gateway.waitForLogRow(response.headers.get('x-request-id') ?? '')
    expect(row.cost_micros).toBe(Math.round(body.estimated_cost_usd * 1_000_000))

    fake.reset()
    fake.script('gpt-4o-mini', ['no', 'still no', 'never'])
    const refused = await chat({
      request: { messages: [{ role: 'user', content: 'Ada as a record' }], model_hint: 'gpt-4o-mini' },
      output_format: { type: 'json', schema },
    })
    expect(refused.status).toBe(422)
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('output_validation_failed')
    const streamed = await chat({ request: { messages: [{ role: 'user', content: 'x' }], stream: true }, output_format: { type: 'json' } })
    expect(streamed.status).toBe(400)
  })

  test('goes through rate-limit admission like the other data-plane routes', async () => {
    const { raw } = await gateway.createKey({ extra: { rate_limits: { requests_per_minute: 1 } } })
    const send = () =>
      fetch(`${gateway.baseUrl}/chat`, {
        method: 'POST',
        headers: { authorization: `Bearer ${raw}`, 'content-type': 'application/json' },
        body: JSON.stringify({ request: { messages: [{ role: 'user', content: 'hi' }], model_hint: 'gpt-4o-mini' } }),
      })
    const first = await send()
    expect(first.status).toBe(200)
    expect(first.headers.get('x-ratelimit-limit-requests')).toBe('1')
    const second = await send()
    expect(second.status).toBe(429)
    expect(((await second.json()) as { error: { code: string } }).error.code).toBe('rate_limit_exceeded')
  })

  test('needs a key with the chat scope', async () => {
    const response = await fetch(`${gateway.baseUrl}/chat`, { method: 'POST', body: '{}' })
    expect(response.status).toBe(401)
  })
})
