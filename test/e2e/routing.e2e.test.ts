import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { type FakeProviderHandle, startFakeProvider } from '../support/fake-provider.ts'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// Routing through the real gateway over HTTP, with the official SDK as client and the fake
// provider standing in for OpenAI (so every built-in OpenAI model is a routing candidate).

let fake: FakeProviderHandle
let gateway: TestGateway
let client: OpenAI
let rawKey: string

beforeAll(async () => {
  fake = startFakeProvider()
  gateway = await startTestGateway({ env: { OPENAI_API_KEY: 'sk-upstream', OPENAI_BASE_URL: `${fake.url}/v1` } })
  rawKey = (await gateway.createKey()).raw
  client = new OpenAI({ apiKey: rawKey, baseURL: gateway.baseUrl, maxRetries: 0 })
})

beforeEach(() => fake.reset())

afterAll(async () => {
  await gateway.stop()
  await fake.close()
})

type Explanation = {
  mode: string
  policy: string
  reason: string
  tier?: string
  chosen: string
  order: string[]
  candidates: Array<{ model: string; score?: number; weight: number; thompsonDraw?: number }>
  rejected: Array<{ model: string; reason: string }>
  constraints: Record<string, unknown>
  answeredBy: string | null
  directive: boolean
}

async function preview(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${gateway.url}/api/v1/route/preview`, {
    method: 'POST',
    headers: { authorization: `Bearer ${rawKey}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown> & { model: string; candidates: unknown[] } }
}

async function explanationOf(requestId: string): Promise<Explanation> {
  const deadline = Date.now() + 3_000
  for (;;) {
    const found = await gateway.admin<{ routing: Explanation | null }>('GET', `/api/v1/admin/requests/${requestId}`)
    if (found.status === 200 && found.body.routing != null) return found.body.routing
    if (Date.now() > deadline) throw new Error(`no explanation for ${requestId}`)
    await Bun.sleep(25)
  }
}

const upstreamBodies = () => fake.requests.filter((request) => request.path.endsWith('/chat/completions')).map((request) => request.body)

describe('model: "router"', () => {
  test('picks the model preview predicts, says why in headers, and stores the explanation', async () => {
    const messages = [{ role: 'user' as const, content: 'What is the capital of France?' }]
    const predicted = await preview({ model: 'router', messages })
    expect(predicted.status).toBe(200)
    expect(fake.requests).toHaveLength(0) // preview calls no model
    const { data, response } = await client.chat.completions.create({ model: 'router', messages }).withResponse()
    expect(data.choices[0]?.message.content).toBe('echo: What is the capital of France?')
    const chosen = response.headers.get('x-switchyard-model') ?? ''
    expect(chosen).toBe(predicted.body.model)
    expect(chosen).toStartWith('openai/')
    expect(response.headers.get('x-switchyard-provider')).toBe('openai')
    expect(response.headers.get('x-switchyard-route-reason')).toMatch(/^auto-(simple|medium|complex|reasoning)-cheap/)
    expect(response.headers.get('x-switchyard-policy')).toBe('cheap')
    expect(response.headers.get('x-switchyard-tier')).toMatch(/^(SIMPLE|MEDIUM|COMPLEX|REASONING)$/)
    expect(Number(response.headers.get('x-switchyard-cost-usd'))).toBeGreaterThanOrEqual(0)
    const upstream = upstreamBodies()
    expect(upstream).toHaveLength(1)
    expect((upstream[0] as { model: string }).model).toBe(chosen.slice('openai/'.length))

    const explanation = await explanationOf(response.headers.get('x-request-id') ?? '')
    expect(explanation).toMatchObject({ mode: 'auto', policy: 'cheap', chosen, answeredBy: chosen })
    expect(explanation.order[0]).toBe(chosen)
    expect(explanation.candidates.length).toBeGreaterThan(1)
    expect(explanation.candidates[0]?.score).toBeNumber()
  })

  test('`auto` is the same router; streaming works and carries the headers', async () => {
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'auto', messages: [{ role: 'user', content: 'stream me please' }], stream: true })
      .withResponse()
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
    expect(text).toBe('echo: stream me please')
    expect(response.headers.get('x-switchyard-route-reason')).toStartWith('auto-')
  })

  test('the `routing` body field changes the policy and never reaches the provider', async () => {
    const messages = [{ role: 'user' as const, content: 'Prove the theorem.' }]
    const cheap = await preview({ model: 'router', messages, routing: { policy: 'cheap' } })
    const strong = await preview({ model: 'router', messages, routing: { policy: 'high_confidence' } })
    expect(strong.body.model).not.toBe(cheap.body.model)
    const { response } = await client.chat.completions
      .create({ model: 'router', messages, routing: { policy: 'high_confidence', max_budget_usd: 5 } } as never)
      .withResponse()
    expect(response.headers.get('x-switchyard-model')).toBe(strong.body.model)
    expect(response.headers.get('x-switchyard-policy')).toBe('high_confidence')
    expect(JSON.stringify(upstreamBodies())).not.toContain('routing')
  })

  test('x-switchyard-policy header; an unknown policy is a 400 naming the header', async () => {
    const messages = [{ role: 'user' as const, content: 'hi' }]
    const { response } = await client.chat.completions
      .create({ model: 'router', messages }, { headers: { 'x-switchyard-policy': 'high_confidence' } })
      .withResponse()
    expect(response.headers.get('x-switchyard-policy')).toBe('high_confidence')
    const error = await client.chat.completions
      .create({ model: 'router', messages }, { headers: { 'x-switchyard-policy': 'yolo' } })
      .catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(OpenAI.BadRequestError)
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('x-switchyard-policy')
  })

  test('AllTokens metadata: objective and constraints are read and removed, the rest of metadata goes upstream', async () => {
    await client.chat.completions.create({
      model: 'router',
      messages: [{ role: 'user', content: 'hello' }],
      metadata: { objective: 'cheapest', trace: 'abc' },
    } as never)
    expect((upstreamBodies()[0] as { metadata?: unknown }).metadata).toEqual({ trace: 'abc' })
  })

  test('constraints that rule out everything are a 400 naming routing', async () => {
    const error = await client.chat.completions
      .create({ model: 'router', messages: [{ role: 'user', content: 'x' }], routing: { allowed_models: ['nobody/*'] } } as never)
      .catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(OpenAI.BadRequestError)
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('routing')
    expect(fake.requests).toHaveLength(0)
  })
})

describe('thompson', () => {
  test('orders candidates by posterior draws and learns from each answer', async () => {
    const requestIds: string[] = []
    for (let index = 0; index < 5; index++) {
      const { response } = await client.chat.completions
        .create(
          { model: 'router', messages: [{ role: 'user', content: `question ${index}` }] },
          { headers: { 'x-switchyard-policy': 'thompson' } },
        )
        .withResponse()
      expect(response.headers.get('x-switchyard-policy')).toBe('thompson')
      requestIds.push(response.headers.get('x-request-id') ?? '')
    }
    const explanation = await explanationOf(requestIds.at(-1) ?? '')
    expect(explanation.policy).toBe('thompson')
    const draws = explanation.candidates.map((candidate) => candidate.thompsonDraw ?? -1)
    expect(draws.every((draw) => draw >= 0 && draw <= 1)).toBe(true)
    expect([...draws].sort((left, right) => right - left)).toEqual(draws)
  })
})

describe('directives', () => {
  test('a directive picks the model and is stripped from every message before the provider sees it', async () => {
    const { response } = await client.chat.completions
      .create({
        model: 'router',
        messages: [
          { role: 'system', content: 'be terse\n@@switchyard policy=cheap' },
          { role: 'user', content: 'first\n@@switchyard\npolicy=normal\n@@end' },
          { role: 'assistant', content: 'ok' },
          { role: 'user', content: [{ type: 'text', text: 'Translate this. @@switchyard model=openai/gpt-4o budget=1' }] },
        ],
      })
      .withResponse()
    expect(response.headers.get('x-switchyard-model')).toBe('openai/gpt-4o')
    expect(response.headers.get('x-switchyard-route-reason')).toBe('directive-model')
    const sent = JSON.stringify(upstreamBodies())
    expect(sent).not.toMatch(/@@switchyard/i)
    expect(sent).not.toContain('@@end')
    expect(sent).toContain('Translate this.')
    const explanation = await explanationOf(response.headers.get('x-request-id') ?? '')
    expect(explanation.directive).toBe(true)
    expect(explanation.constraints).toMatchObject({ policy: 'normal', maxBudgetUsd: 1, model: 'openai/gpt-4o' })
  })

  test('an invalid directive value is a 400 naming the key; nothing goes upstream', async () => {
    const error = await client.chat.completions
      .create({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: '@@switchyard latency=soon' }] })
      .catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(OpenAI.BadRequestError)
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('directive.latency')
    expect(fake.requests).toHaveLength(0)
  })

  test('explicit models are stripped too, and blocked_models applies to them', async () => {
    await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'a\n@@switchyard policy=cheap\nb' }],
    })
    expect((upstreamBodies()[0] as { messages: Array<{ content: string }> }).messages[0]?.content).toBe('a\nb')
    const error = await client.chat.completions
      .create({
        model: 'openai/gpt-4o-mini',
        messages: [{ role: 'user', content: 'x' }],
        routing: { blocked_models: ['openai/*'] },
      } as never)
      .catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(OpenAI.BadRequestError)
  })
})

describe('feedback and preview', () => {
  test('POST /v1/feedback scores a past request of this key; others are 404, bad scores 400', async () => {
    const { response } = await client.chat.completions
      .create({ model: 'router', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse()
    const requestId = response.headers.get('x-request-id') ?? ''
    await explanationOf(requestId)
    const send = (body: unknown, key = rawKey) =>
      fetch(`${gateway.baseUrl}/feedback`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    const accepted = await send({ request_id: requestId, score: 0.9 })
    expect(accepted.status).toBe(200)
    expect(await accepted.json()).toMatchObject({
      request_id: requestId,
      accepted: true,
      model: response.headers.get('x-switchyard-model'),
    })
    expect((await send({ request_id: requestId, score: 2 })).status).toBe(400)
    expect((await send({ request_id: 'req_nope', score: 1 })).status).toBe(404)
    const otherKey = (await gateway.createKey({ name: 'other' })).raw
    expect((await send({ request_id: requestId, score: 1 }, otherKey)).status).toBe(404)
  })

  test('route preview ranks candidates with scores and rejections, honours top_n, needs a key', async () => {
    const ranked = await preview({
      model: 'router',
      messages: [{ role: 'user', content: 'hi' }],
      routing: { blocked_models: ['openai/gpt-4o*'] },
      top_n: 2,
    })
    expect(ranked.status).toBe(200)
    expect(ranked.body.candidates).toHaveLength(2)
    expect(ranked.body.rejected).toContainEqual(expect.objectContaining({ model: 'openai/gpt-4o', reason: 'blocked' }))
    const anonymous = await fetch(`${gateway.url}/api/v1/route/preview`, { method: 'POST', body: '{}' })
    expect(anonymous.status).toBe(401)
    expect(fake.requests).toHaveLength(0)
  })
})

describe('router with no provider configured', () => {
  test('falls back to the echo model, so `model: "router"` works on a fresh install', async () => {
    const bare = await startTestGateway()
    try {
      const bareClient = new OpenAI({ apiKey: (await bare.createKey()).raw, baseURL: bare.baseUrl, maxRetries: 0 })
      const { data, response } = await bareClient.chat.completions
        .create({ model: 'router', messages: [{ role: 'user', content: 'hi' }] })
        .withResponse()
      expect(data.choices[0]?.message.content).toBe('[switchyard/echo] hi')
      expect(response.headers.get('x-switchyard-model')).toBe('switchyard/echo')
    } finally {
      await bare.stop()
    }
  })
})
