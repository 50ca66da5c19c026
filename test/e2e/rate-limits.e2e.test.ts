import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { type FakeProviderHandle, startFakeProvider } from '../support/fake-provider.ts'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// Per-key rate limits through the official SDK over real HTTP (memory backend, one process).
// maxRetries: 0 wherever a 429 is asserted: the SDK retries 429 by default.

let fake: FakeProviderHandle
const gateways: TestGateway[] = []

beforeAll(() => {
  fake = startFakeProvider()
})
afterAll(() => {
  fake.close()
})
afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.stop()))
})

async function gatewayWith(limits: Record<string, string>): Promise<{ gateway: TestGateway; client: OpenAI }> {
  const gateway = await startTestGateway({
    env: {
      SWITCHYARD_RATE_LIMIT_BURST_RPS: 'unlimited',
      OPENAI_API_KEY: 'sk-fake',
      OPENAI_BASE_URL: `${fake.url}/v1`,
      ...limits,
    },
  })
  gateways.push(gateway)
  const { raw } = await gateway.createKey()
  return { gateway, client: new OpenAI({ apiKey: raw, baseURL: gateway.baseUrl, maxRetries: 0 }) }
}

/** Fixed windows: start a burst of requests early in a window so it cannot straddle an edge. */
async function waitForWindowStart(windowMs: number, latestOffsetMs: number) {
  const offset = Date.now() % windowMs
  if (offset > latestOffsetMs) await Bun.sleep(windowMs - offset + 5)
}

const ask = (client: OpenAI) => client.chat.completions.create({ model: 'switchyard/echo', messages: [{ role: 'user', content: 'hi' }] })

describe('rate limits through the OpenAI SDK', () => {
  test('requests per minute: headers on every success, then a 429 with Retry-After and the same headers', async () => {
    const { client } = await gatewayWith({ SWITCHYARD_RATE_LIMIT_RPM: '3', SWITCHYARD_RATE_LIMIT_TPM: '100000' })
    await waitForWindowStart(60_000, 50_000)
    const remaining: string[] = []
    for (let i = 0; i < 3; i++) {
      const { response } = await ask(client).withResponse()
      expect(response.headers.get('x-ratelimit-limit-requests')).toBe('3')
      expect(response.headers.get('x-ratelimit-reset-requests')).toMatch(/^(\d+m)?\d+(\.\d+)?s$|^\d+ms$/)
      expect(response.headers.get('x-ratelimit-limit-tokens')).toBe('100000')
      expect(Number(response.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThan(100000)
      expect(response.headers.get('x-ratelimit-reset-tokens')).not.toBeNull()
      remaining.push(response.headers.get('x-ratelimit-remaining-requests') ?? '')
    }
    expect(remaining).toEqual(['2', '1', '0'])

    const error = await ask(client).catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(OpenAI.RateLimitError)
    const rateLimitError = error as InstanceType<typeof OpenAI.RateLimitError>
    expect(rateLimitError.status).toBe(429)
    expect(rateLimitError.code).toBe('rate_limit_exceeded')
    expect(rateLimitError.type).toBe('rate_limit_error')
    expect(rateLimitError.message).toContain('3 requests per minute')
    const retryAfter = Number(rateLimitError.headers?.get('retry-after'))
    expect(retryAfter).toBeGreaterThanOrEqual(1)
    expect(retryAfter).toBeLessThanOrEqual(60)
    expect(Number(rateLimitError.headers?.get('retry-after-ms'))).toBeGreaterThan(0)
    expect(rateLimitError.headers?.get('x-ratelimit-limit-requests')).toBe('3')
    expect(rateLimitError.headers?.get('x-ratelimit-remaining-requests')).toBe('0')
    expect(rateLimitError.headers?.get('x-ratelimit-limit-tokens')).toBe('100000')
  }, 20_000)

  test('burst: the default-style per-second limit admits N, refuses the next, and recovers in the next second', async () => {
    const { client } = await gatewayWith({ SWITCHYARD_RATE_LIMIT_BURST_RPS: '4' })
    // On a loaded machine the seven requests may straddle a second; then the attempt is repeated.
    let results: PromiseSettledResult<unknown>[] = []
    for (let attempt = 0; attempt < 5; attempt++) {
      await waitForWindowStart(1000, 200)
      const second = Math.floor(Date.now() / 1000)
      results = await Promise.allSettled(Array.from({ length: 7 }, () => ask(client)))
      if (Math.floor(Date.now() / 1000) === second) break
      await Bun.sleep(1000)
    }
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(4)
    const refused = results.filter((result) => result.status === 'rejected')
    expect(refused).toHaveLength(3)
    for (const result of refused) expect((result as PromiseRejectedResult).reason).toBeInstanceOf(OpenAI.RateLimitError)
    await Bun.sleep(1000 - (Date.now() % 1000) + 5)
    expect((await ask(client)).choices[0]?.message.content).toContain('hi')
  }, 20_000)

  test('the SDK honours Retry-After: with retries on, a burst refusal becomes a later success', async () => {
    const { gateway } = await gatewayWith({ SWITCHYARD_RATE_LIMIT_BURST_RPS: '1' })
    const { id, raw } = await gateway.createKey()
    const retrying = new OpenAI({ apiKey: raw, baseURL: gateway.baseUrl, maxRetries: 2 })
    await waitForWindowStart(1000, 300)
    const [first, second] = await Promise.all([ask(retrying), ask(retrying)])
    expect(first.choices[0]?.message.content).toContain('hi')
    expect(second.choices[0]?.message.content).toContain('hi')
    // The request log shows the refusal the SDK waited out: two successes and at least one 429.
    let statuses: number[] = []
    for (let attempt = 0; attempt < 40 && statuses.length < 3; attempt++) {
      await Bun.sleep(50)
      statuses = (await gateway.admin<{ data: Array<{ status: number }> }>('GET', `/api/v1/admin/requests?key_id=${id}`)).body.data.map(
        (row) => row.status,
      )
    }
    expect(statuses.filter((status) => status === 200)).toHaveLength(2)
    expect(statuses).toContain(429)
  }, 20_000)

  test('concurrency: a stream holds its slot until it ends; the refusal says so', async () => {
    const { client } = await gatewayWith({ SWITCHYARD_RATE_LIMIT_CONCURRENT: '1', SWITCHYARD_RATE_LIMIT_RPM: '100' })
    const { data: slowStream, response } = await client.chat.completions
      .create({ model: 'openai/fake-drip-150', stream: true, messages: [{ role: 'user', content: 'one two three four five' }] })
      .withResponse()
    // A stream carries the headers too.
    expect(response.headers.get('content-type')).toStartWith('text/event-stream')
    expect(response.headers.get('x-ratelimit-limit-requests')).toBe('100')
    expect(Number(response.headers.get('x-ratelimit-remaining-requests'))).toBeLessThan(100)
    const refused = await ask(client).catch((thrown: unknown) => thrown)
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError)
    expect((refused as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('concurrency_limit_exceeded')
    expect((refused as Error).message).toContain('at most 1 may be in flight')
    let text = ''
    for await (const chunk of slowStream) text += chunk.choices[0]?.delta.content ?? ''
    expect(text).toContain('five')
    await Bun.sleep(20)
    expect((await ask(client)).choices[0]?.message.content).toContain('hi')
  })

  test('concurrency: an aborted stream and a failed request give their slot back', async () => {
    const { client } = await gatewayWith({ SWITCHYARD_RATE_LIMIT_CONCURRENT: '1' })
    const controller = new AbortController()
    const stream = await client.chat.completions.create(
      { model: 'openai/fake-drip-200', stream: true, messages: [{ role: 'user', content: 'a b c d e f g' }] },
      { signal: controller.signal },
    )
    for await (const _chunk of stream) {
      controller.abort()
      break
    }
    await Bun.sleep(100)
    // A request that fails validation after admission (400) must not keep the slot either.
    for (let i = 0; i < 3; i++) {
      const invalid = await client.chat.completions
        .create({ model: 'switchyard/echo', messages: [] as never })
        .catch((thrown: unknown) => thrown)
      expect(invalid).toBeInstanceOf(OpenAI.BadRequestError)
    }
    expect((await ask(client)).choices[0]?.message.content).toContain('hi')
  })

  test('a key with no limit at all gets no rate-limit headers and is never refused', async () => {
    const { client } = await gatewayWith({})
    const results = await Promise.all(Array.from({ length: 30 }, () => ask(client).withResponse()))
    for (const { response } of results) {
      expect(response.status).toBe(200)
      expect(response.headers.get('x-ratelimit-limit-requests')).toBeNull()
      expect(response.headers.get('x-ratelimit-limit-tokens')).toBeNull()
    }
  })

  test('tokens per minute: a request larger than the whole limit is refused without Retry-After, and not retried', async () => {
    const { client } = await gatewayWith({ SWITCHYARD_RATE_LIMIT_TPM: '50' })
    const big = 'word '.repeat(200)
    const error = await client.chat.completions
      .create({ model: 'switchyard/echo', messages: [{ role: 'user', content: big }] })
      .catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(OpenAI.RateLimitError)
    const rateLimitError = error as InstanceType<typeof OpenAI.RateLimitError>
    expect(rateLimitError.message).toContain('50 tokens per minute')
    expect(rateLimitError.headers?.get('retry-after')).toBeNull()
    expect(rateLimitError.headers?.get('x-should-retry')).toBe('false')
  })

  test('tokens per minute: the estimate is corrected to the real usage when the answer is done', async () => {
    const { client } = await gatewayWith({ SWITCHYARD_RATE_LIMIT_TPM: '100000' })
    await waitForWindowStart(60_000, 50_000)
    const padding = 'x'.repeat(4000) // a long system prompt that counts as few tokens upstream
    const first = await client.chat.completions
      .create({
        model: 'openai/fake-model',
        messages: [
          { role: 'system', content: padding },
          { role: 'user', content: 'hi' },
        ],
      })
      .withResponse()
    const estimatedLeft = Number(first.response.headers.get('x-ratelimit-remaining-tokens'))
    expect(estimatedLeft).toBeLessThanOrEqual(100000 - 1000) // ≥ 4000 bytes / 4 charged at admission
    const used = first.data.usage?.total_tokens ?? 0
    const second = await ask(client).withResponse()
    const afterCorrection = Number(second.response.headers.get('x-ratelimit-remaining-tokens'))
    // The first request now counts its real tokens, not its estimate; the second its own estimate.
    expect(afterCorrection).toBeGreaterThan(estimatedLeft)
    expect(100000 - afterCorrection - used).toBeLessThan(100)
  }, 20_000)
})
