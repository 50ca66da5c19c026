import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import { type FakeProviderHandle, startFakeProvider } from '../support/fake-provider.ts'
import { type GatewayProcess, startGatewayProcess } from '../support/start-gateway-process.ts'

// Three real gateway processes sharing one SQLite file (keys) and one Redis (limits, under a
// per-test key prefix) act as one gateway: a key's limits hold across all three together.
// Runs when SWITCHYARD_TEST_REDIS_URL is set (CI sets it).

const redisUrl = process.env.SWITCHYARD_TEST_REDIS_URL
const describeWithRedis = redisUrl == null || redisUrl === '' ? describe.skip : describe

type Replicas = { gateways: GatewayProcess[]; adminToken: string; directory: string }

async function startReplicas(limits: Record<string, string>, fake: FakeProviderHandle): Promise<Replicas> {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-replicas-'))
  const adminToken = `sy-admin-test-${crypto.randomUUID()}`
  const env = {
    SWITCHYARD_ADMIN_TOKEN: adminToken,
    SWITCHYARD_REDIS_URL: redisUrl ?? '',
    SWITCHYARD_REDIS_KEY_PREFIX: `test:${crypto.randomUUID()}:`,
    SWITCHYARD_RATE_LIMIT_BURST_RPS: 'unlimited',
    // The fake provider's `fake-drip-*` models are unpriced: hold $1 for each such request.
    SWITCHYARD_UNPRICED_MODEL_CEILING_USD: '1',
    OPENAI_API_KEY: 'sk-fake',
    OPENAI_BASE_URL: `${fake.url}/v1`,
    ...limits,
  }
  const db = `sqlite:${join(directory, 'shared.db')}`
  // The first one runs the migrations; the others start once the schema exists.
  const first = await startGatewayProcess({ db, env, cwd: directory })
  const others = await Promise.allSettled([1, 2].map(() => startGatewayProcess({ db, env, cwd: directory })))
  const started = [first, ...others.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))]
  const failure = others.find((result) => result.status === 'rejected')
  if (failure != null) {
    // No orphan processes when one replica cannot start.
    await Promise.all(started.map((gateway) => gateway.stop()))
    throw failure.reason
  }
  return { gateways: started, adminToken, directory }
}

async function stopReplicas(replicas: Replicas | undefined) {
  if (replicas == null) return
  await Promise.all(replicas.gateways.map((gateway) => gateway.stop()))
  rmSync(replicas.directory, { recursive: true, force: true })
}

/** A key created through the admin API of the first replica; the others find it in the shared database. */
async function createKey(replicas: Replicas): Promise<string> {
  const admin = (path: string, body: unknown) =>
    fetch(`${replicas.gateways[0]?.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${replicas.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  // Every key belongs to a user (with some credit, although the echo model is free).
  const user = await admin('/api/v1/admin/users', { email: `replicas-${crypto.randomUUID()}@example.com` })
  expect(user.status).toBe(201)
  const userId = ((await user.json()) as { id: string }).id
  expect((await admin('/api/v1/admin/credits', { user_id: userId, amount_usd: 10, note: 'test setup' })).status).toBe(201)
  const response = await admin('/api/v1/admin/keys', { name: `replicas-${crypto.randomUUID()}`, user_id: userId })
  expect(response.status).toBe(201)
  return ((await response.json()) as { raw: string }).raw
}

const clientsFor = (replicas: Replicas, key: string) =>
  replicas.gateways.map((gateway) => new OpenAI({ apiKey: key, baseURL: gateway.baseUrl, maxRetries: 0 }))

describeWithRedis('three gateway processes sharing Redis', () => {
  let fake: FakeProviderHandle
  beforeAll(() => {
    fake = startFakeProvider({ recordRequests: false })
  })
  afterAll(() => {
    fake.close()
  })

  describe('requests per minute', () => {
    const limit = 20
    let replicas: Replicas | undefined
    beforeAll(async () => {
      replicas = await startReplicas({ SWITCHYARD_RATE_LIMIT_RPM: String(limit) }, fake)
    }, 60_000)
    afterAll(async () => {
      await stopReplicas(replicas)
    })

    test('at most the limit per window is admitted across all three, and remaining counts down without repeats', async () => {
      if (replicas == null) throw new Error('replicas did not start')
      let admitted: Array<{ remaining: string | null; replica: number }> = []
      let refused: unknown[] = []
      // Fire everything inside one minute window; in the rare case it straddles a minute edge,
      // start over with a fresh key (fresh counters) in the new minute.
      for (let attempt = 0; attempt < 3; attempt++) {
        const clients = clientsFor(replicas, await createKey(replicas))
        const minute = Math.floor(Date.now() / 60_000)
        const call = (i: number) =>
          (clients[i % 3] as OpenAI).chat.completions
            .create({ model: 'switchyard/echo', messages: [{ role: 'user', content: `request ${i}` }] })
            .withResponse()
            .then(({ response }) => ({ remaining: response.headers.get('x-ratelimit-remaining-requests'), replica: i % 3 }))
        // One request on each replica first (each learns the key from the shared database), then the flood.
        const warmUp = [await call(0), await call(1), await call(2)]
        const calls = [...warmUp.map((value) => Promise.resolve(value)), ...Array.from({ length: 87 }, (_, i) => call(i + 3))]
        const results = await Promise.allSettled(calls)
        admitted = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
        refused = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []))
        if (Math.floor(Date.now() / 60_000) === minute) break
      }
      expect(admitted).toHaveLength(limit)
      expect(refused).toHaveLength(90 - limit)
      for (const error of refused) {
        expect(error).toBeInstanceOf(OpenAI.RateLimitError)
        expect((error as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('x-ratelimit-remaining-requests')).toBe('0')
      }
      // One shared counter: every admitted request saw a different remaining count, 19 down to 0.
      expect(admitted.map((entry) => Number(entry.remaining)).sort((a, b) => a - b)).toEqual(Array.from({ length: limit }, (_, i) => i))
      // And all three processes admitted some of them.
      expect(new Set(admitted.map((entry) => entry.replica)).size).toBe(3)
    }, 60_000)
  })

  describe('concurrent requests', () => {
    let replicas: Replicas | undefined
    beforeAll(async () => {
      replicas = await startReplicas({ SWITCHYARD_RATE_LIMIT_CONCURRENT: '2' }, fake)
    }, 60_000)
    afterAll(async () => {
      await stopReplicas(replicas)
    })

    test('two streams in flight on two replicas fill the key; the third replica refuses, then admits once one ends', async () => {
      if (replicas == null) throw new Error('replicas did not start')
      const [a, b, c] = clientsFor(replicas, await createKey(replicas)) as [OpenAI, OpenAI, OpenAI]
      const slow = (client: OpenAI) =>
        client.chat.completions.create({
          model: 'openai/fake-drip-150',
          stream: true,
          messages: [{ role: 'user', content: 'one two three four five' }],
        })
      const first = await slow(a)
      const second = await slow(b)
      const refused = await c.chat.completions
        .create({ model: 'switchyard/echo', messages: [{ role: 'user', content: 'hi' }] })
        .catch((thrown: unknown) => thrown)
      expect(refused).toBeInstanceOf(OpenAI.RateLimitError)
      expect((refused as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('concurrency_limit_exceeded')
      for await (const _chunk of first) {
        // drain: the stream's end frees its slot in Redis
      }
      await Bun.sleep(50)
      const admitted = await c.chat.completions.create({ model: 'switchyard/echo', messages: [{ role: 'user', content: 'hi' }] })
      expect(admitted.choices[0]?.message.content).toContain('hi')
      for await (const _chunk of second) {
        // drain
      }
    }, 60_000)
  })
})
