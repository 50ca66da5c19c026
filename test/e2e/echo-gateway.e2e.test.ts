import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { settle } from '../support/settle.ts'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// With no provider configured at all, the built-in echo model answers every endpoint: this is the
// first thing a new user tries, so it is tested through the official SDK over real HTTP.

let gateway: TestGateway
let client: OpenAI
let rawKey: string

beforeAll(async () => {
  gateway = await startTestGateway()
  rawKey = (await gateway.createKey()).raw
  client = new OpenAI({ apiKey: rawKey, baseURL: gateway.baseUrl, maxRetries: 0 })
})

afterAll(async () => {
  await gateway.stop()
})

describe('echo model through the OpenAI SDK', () => {
  test('chat completion echoes the last user message, costs nothing, and is logged', async () => {
    const { data: completion, response } = await client.chat.completions
      .create({
        model: 'switchyard/echo',
        messages: [
          { role: 'system', content: 'be brief' },
          { role: 'user', content: 'hello gateway' },
        ],
      })
      .withResponse()
    expect(completion.choices[0]?.message.content).toBe('[switchyard/echo] hello gateway')
    expect(completion.model).toBe('switchyard/echo')
    expect(completion.usage?.total_tokens).toBeGreaterThan(0)
    expect((completion.usage as unknown as { cost: number }).cost).toBe(0)
    const requestId = response.headers.get('x-request-id') ?? ''
    expect(requestId).toStartWith('req_')
    expect(response.headers.get('x-switchyard-model')).toBe('switchyard/echo')
    expect(response.headers.get('x-switchyard-provider')).toBe('switchyard')
    const row = await gateway.waitForLogRow(requestId)
    expect(row).toMatchObject({ status: 200, model: 'switchyard/echo', provider: 'switchyard', stream: false, cost_micros: 0 })
    expect(row.usage.input_tokens).toBe(completion.usage?.prompt_tokens ?? -1)
  })

  test('bare model names resolve', async () => {
    const completion = await client.chat.completions.create({ model: 'echo', messages: [{ role: 'user', content: 'x' }] })
    expect(completion.model).toBe('switchyard/echo')
  })

  test('streaming without include_usage sends no usage chunk', async () => {
    const stream = await client.chat.completions.create({
      model: 'echo',
      stream: true,
      messages: [{ role: 'user', content: 'one two three' }],
    })
    let text = ''
    let usageChunks = 0
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? ''
      if (chunk.usage != null) usageChunks++
    }
    expect(text).toBe('[switchyard/echo] one two three')
    expect(usageChunks).toBe(0)
  })

  test('streaming with include_usage ends with one usage chunk carrying cost', async () => {
    const stream = await client.chat.completions.create({
      model: 'echo',
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'count me' }],
    })
    const chunks = []
    for await (const chunk of stream) chunks.push(chunk)
    const last = chunks.at(-1)
    expect(last?.choices).toEqual([])
    expect(last?.usage?.completion_tokens).toBeGreaterThan(0)
    expect((last?.usage as unknown as { cost: number } | undefined)?.cost).toBe(0)
    expect(chunks.filter((chunk) => chunk.usage != null)).toHaveLength(1)
  })

  test('embeddings decode through the SDK default (base64) and as floats', async () => {
    const viaDefault = await client.embeddings.create({ model: 'echo-embedding', input: ['alpha', 'beta'] })
    expect(viaDefault.data).toHaveLength(2)
    expect(viaDefault.data[0]?.embedding).toHaveLength(8)
    const asFloats = await client.embeddings.create({ model: 'switchyard/echo-embedding', input: 'alpha', encoding_format: 'float' })
    const first = viaDefault.data[0]?.embedding ?? []
    const floats = asFloats.data[0]?.embedding ?? []
    floats.forEach((value, index) => {
      expect(value).toBeCloseTo(first[index] ?? Number.NaN, 5)
    })
  })

  test('legacy completions', async () => {
    const completion = await client.completions.create({ model: 'echo', prompt: 'legacy prompt' })
    expect(completion.object).toBe('text_completion')
    expect(completion.choices[0]?.text).toBe('[switchyard/echo] legacy prompt')
    const stream = await client.completions.create({ model: 'echo', prompt: 'streamed legacy', stream: true })
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.text ?? ''
    expect(text).toBe('[switchyard/echo] streamed legacy')
  })

  test('models list and lookup, with pricing and context', async () => {
    const models = await client.models.list()
    const echo = models.data.find((model) => model.id === 'switchyard/echo') as unknown as Record<string, unknown>
    expect(echo).toMatchObject({ object: 'model', owned_by: 'switchyard', context_length: 1_000_000 })
    expect(echo.pricing).toMatchObject({ input: 0, output: 0 })
    const one = await client.models.retrieve('switchyard/echo')
    expect(one.id).toBe('switchyard/echo')
  })
})

describe('errors reach the SDK as its proper classes', () => {
  test('unknown model: 404 NotFoundError with close names', async () => {
    const error = await client.chat.completions
      .create({ model: 'ecko', messages: [{ role: 'user', content: 'x' }] })
      .catch((caught) => caught)
    expect(error).toBeInstanceOf(OpenAI.NotFoundError)
    expect(error.message).toContain('echo')
    expect(error.code).toBe('model_not_found')
    expect(await settle(client.models.retrieve('nope/nothing'))).toBeInstanceOf(OpenAI.NotFoundError)
  })

  test('missing messages, wrong types and absurd max_tokens: 400 naming the param', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ model: 'echo' }, 'messages'],
      [{ model: 'echo', messages: [] }, 'messages'],
      [{ messages: [{ role: 'user', content: 'x' }] }, 'model'],
      [{ model: 42, messages: [{ role: 'user', content: 'x' }] }, 'model'],
      [{ model: 'echo', messages: [{ role: 'robot', content: 'x' }] }, 'messages[0].role'],
      [{ model: 'echo', max_tokens: -5, messages: [{ role: 'user', content: 'x' }] }, 'max_tokens'],
      [{ model: 'echo', max_tokens: 1e12, messages: [{ role: 'user', content: 'x' }] }, 'max_tokens'],
      [{ model: 'echo', temperature: 'hot', messages: [{ role: 'user', content: 'x' }] }, 'temperature'],
    ]
    for (const [body, param] of cases) {
      const error = await client.chat.completions.create(body as never).catch((caught) => caught)
      expect(error).toBeInstanceOf(OpenAI.BadRequestError)
      expect(error.param).toBe(param)
    }
  })

  test('bad or revoked key: 401; missing scope: 403', async () => {
    const stranger = new OpenAI({ apiKey: 'sk-sy-not-a-real-key', baseURL: gateway.baseUrl, maxRetries: 0 })
    expect(await settle(stranger.chat.completions.create({ model: 'echo', messages: [{ role: 'user', content: 'x' }] }))).toBeInstanceOf(
      OpenAI.AuthenticationError,
    )
    const embeddingsOnly = await gateway.createKey({ scopes: ['embeddings'] })
    const limited = new OpenAI({ apiKey: embeddingsOnly.raw, baseURL: gateway.baseUrl, maxRetries: 0 })
    expect(await settle(limited.chat.completions.create({ model: 'echo', messages: [{ role: 'user', content: 'x' }] }))).toBeInstanceOf(
      OpenAI.PermissionDeniedError,
    )
    const doomed = await gateway.createKey()
    const doomedClient = new OpenAI({ apiKey: doomed.raw, baseURL: gateway.baseUrl, maxRetries: 0 })
    await doomedClient.chat.completions.create({ model: 'echo', messages: [{ role: 'user', content: 'x' }] })
    const revoked = await gateway.admin<{ revoked_at: string }>('DELETE', `/api/v1/admin/keys/${doomed.id}`)
    expect(revoked.body.revoked_at).not.toBeNull()
    expect(
      await settle(doomedClient.chat.completions.create({ model: 'echo', messages: [{ role: 'user', content: 'x' }] })),
    ).toBeInstanceOf(OpenAI.AuthenticationError)
  })

  test('x-api-key works like Bearer', async () => {
    const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'x-api-key': rawKey, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'x' }] }),
    })
    expect(response.status).toBe(200)
  })
})

describe('raw HTTP edge cases never produce a 500', () => {
  const post = (body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(`${gateway.baseUrl}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${rawKey}`, ...headers }, body })

  test('malformed JSON, invalid UTF-8, empty body, non-object JSON: 400 in the OpenAI envelope', async () => {
    for (const body of ['{"model":', new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]), '', '[1,2]', 'null']) {
      const response = await post(body)
      expect(response.status).toBe(400)
      const payload = (await response.json()) as { error: Record<string, unknown> }
      expect(Object.keys(payload.error).sort()).toEqual(['code', 'message', 'param', 'type'])
    }
  })

  test('a body over the limit is refused with 413', async () => {
    const huge = JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'x'.repeat(21 * 1024 * 1024) }] })
    const response = await post(huge)
    expect(response.status).toBe(413)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('request_too_large')
  })

  test('unknown route: 404 envelope; health and readiness answer', async () => {
    const missing = await fetch(`${gateway.url}/v1/nothing-here`)
    expect(missing.status).toBe(404)
    expect(await (await fetch(`${gateway.url}/healthz`)).json()).toEqual({ status: 'ok' })
    expect(((await (await fetch(`${gateway.url}/readyz`)).json()) as { status: string }).status).toBe('ready')
  })

  test('random garbage bodies never produce a 5xx', async () => {
    const samples = [
      '{}',
      '{"model":null}',
      '{"model":"echo","messages":"hi"}',
      '{"model":"echo","messages":[null]}',
      '{"model":"echo","messages":[{"role":"user"}]}',
      '{"model":"echo","messages":[{"role":"tool","content":"x"}]}',
      '{"model":"echo","messages":[{"role":"user","content":"x"}],"stream":"yes"}',
      '{"model":"echo","messages":[{"role":"user","content":"x"}],"tools":[{"type":"function"}]}',
      '{"model":"echo","models":[1],"messages":[{"role":"user","content":"x"}]}',
      '{"model":"echo","messages":[{"role":"user","content":[{"type":"image_url"}]}],"n":1000}',
    ]
    for (const body of samples) {
      const response = await post(body)
      expect(response.status).toBeLessThan(500)
    }
  })
})

describe('request ids', () => {
  test('a client-supplied X-Request-Id is not trusted: every request gets its own id and log row', async () => {
    const ids = new Set<string>()
    for (let index = 0; index < 3; index++) {
      const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${rawKey}`, 'content-type': 'application/json', 'x-request-id': 'req_reused' },
        body: JSON.stringify({ model: 'echo', messages: [{ role: 'user', content: 'x' }] }),
      })
      ids.add(response.headers.get('x-request-id') ?? '')
    }
    expect(ids.size).toBe(3)
    expect(ids.has('req_reused')).toBe(false)
    for (const id of ids) expect((await gateway.waitForLogRow(id)).status).toBe(200)
  })
})
