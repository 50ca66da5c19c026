import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import OpenAI from 'openai'
import { loadConfig } from '../../src/config/load-config.ts'
import type { DeploymentStats, HealthView } from '../../src/routing/health-view.ts'
import { type RunningGateway, startGateway } from '../../src/start-gateway.ts'
import { type FakeProviderHandle, startFakeProvider } from '../support/fake-provider.ts'

// The HealthView seam (resilience implements it; the lead passes it to startGateway): routing
// skips deployments it reports unavailable and scores latency and errors from its stats. Here a
// hand-set HealthView stands in for resilience's measurements.

const adminToken = `sy-admin-test-${crypto.randomUUID()}`
const unavailable = new Set<string>()
const stats = new Map<string, DeploymentStats>()
const health: HealthView = {
  stats: (id) => stats.get(id),
  isAvailable: (id) => !unavailable.has(id),
}

let fake: FakeProviderHandle
let gateway: RunningGateway
let client: OpenAI

beforeAll(async () => {
  fake = startFakeProvider()
  const config = loadConfig({
    env: { SWITCHYARD_ADMIN_TOKEN: adminToken, SWITCHYARD_LOG_LEVEL: 'silent', OPENAI_API_KEY: 'k', OPENAI_BASE_URL: `${fake.url}/v1` },
    flags: { port: 0, host: '127.0.0.1', db: 'sqlite::memory:' },
  })
  gateway = await startGateway(config, { announce: () => {}, health })
  const admin = (path: string, body: unknown) =>
    fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  // Every key belongs to a user, who pays for the (priced) routed models.
  const user = (await (await admin('/api/v1/admin/users', { email: `health-${crypto.randomUUID()}@example.com` })).json()) as { id: string }
  await admin('/api/v1/admin/credits', { user_id: user.id, amount_usd: 1000, note: 'test setup' })
  const key = await admin('/api/v1/admin/keys', { name: 'health', user_id: user.id })
  client = new OpenAI({ apiKey: ((await key.json()) as { raw: string }).raw, baseURL: `${gateway.url}/v1`, maxRetries: 0 })
})

afterAll(async () => {
  await gateway.stop()
  await fake.close()
})

const ask = (headers: Record<string, string> = {}) =>
  client.chat.completions.create({ model: 'router', messages: [{ role: 'user', content: 'hi' }] }, { headers }).withResponse()

describe('routing with a HealthView', () => {
  test('an unavailable deployment is never chosen; the next best is', async () => {
    const first = (await ask()).response.headers.get('x-switchyard-model') ?? ''
    unavailable.add(first)
    const second = (await ask()).response.headers.get('x-switchyard-model') ?? ''
    expect(second).not.toBe(first)
    unavailable.clear()
  })

  test('objective fastest follows the latency EMA', async () => {
    stats.set('openai/gpt-4.1-mini', { state: 'closed', successRate: 1, latencyEmaMs: 80, ttftEmaMs: 40, requests: 50 })
    for (const id of ['openai/gpt-5-nano', 'openai/gpt-4.1-nano', 'openai/gpt-4o-mini', 'openai/gpt-5-mini', 'openai/gpt-4o']) {
      stats.set(id, { state: 'closed', successRate: 1, latencyEmaMs: 4_000, ttftEmaMs: 900, requests: 50 })
    }
    const { response } = await client.chat.completions
      .create({ model: 'router', messages: [{ role: 'user', content: 'hi' }], metadata: { objective: 'fastest' } } as never)
      .withResponse()
    expect(response.headers.get('x-switchyard-model')).toBe('openai/gpt-4.1-mini')
    stats.clear()
  })
})
