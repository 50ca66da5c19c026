import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import { type FakeProviderHandle, type RecordedRequest, startFakeProvider } from '../support/fake-provider.ts'
import { settle } from '../support/settle.ts'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// The per-request budgets, all circuits open, and the optional active prober, each on a gateway configured for it,
// over real HTTP with the official SDK and a loopback fake provider.

let fake: FakeProviderHandle
let configDir: string
let configFile: string
const gateways: TestGateway[] = []

beforeAll(() => {
  fake = startFakeProvider()
  configDir = mkdtempSync(join(tmpdir(), 'switchyard-budgets-'))
  configFile = join(configDir, 'switchyard.yaml')
  writeFileSync(configFile, `providers:\n  flaky: { type: openai-compatible, base_url: "${fake.url}/v1", api_key: sk-flaky }\n`)
})

afterAll(async () => {
  for (const gateway of gateways) await gateway.stop()
  await fake.close()
  rmSync(configDir, { recursive: true, force: true })
})

async function clientFor(env: Record<string, string>): Promise<{ gateway: TestGateway; client: OpenAI }> {
  const gateway = await startTestGateway({ configFile, env })
  gateways.push(gateway)
  return { gateway, client: new OpenAI({ apiKey: (await gateway.createKey()).raw, baseURL: gateway.baseUrl, maxRetries: 0 }) }
}

const requestsFor = (model: string) =>
  fake.requests.filter((request: RecordedRequest) => (request.body as { model?: string }).model === model)

describe('budgets', () => {
  test('the attempt budget caps upstream calls across every candidate', async () => {
    const { client } = await clientFor({
      SWITCHYARD_RETRY_MAX_ATTEMPTS: '3',
      SWITCHYARD_RETRIES_PER_DEPLOYMENT: '5',
      SWITCHYARD_RETRY_BASE_DELAY_MS: '1',
      SWITCHYARD_RETRY_MAX_DELAY_MS: '1',
      SWITCHYARD_CIRCUIT_FAILURE_THRESHOLD: '100',
    })
    const error = await settle(
      client.chat.completions.create({
        model: 'flaky/fail-500-a',
        models: ['flaky/fail-500-b'],
        messages: [{ role: 'user', content: 'x' }],
      } as never),
    )
    expect((error as { status: number }).status).toBe(502)
    expect(requestsFor('fail-500-a')).toHaveLength(3)
    expect(requestsFor('fail-500-b')).toHaveLength(0)
    const summary = (error as InstanceType<typeof OpenAI.APIError>).headers?.get('x-switchyard-attempts') ?? ''
    expect(summary.split('; ')).toHaveLength(3)
  })

  test('the time budget stops retries: no wait starts that would end past it', async () => {
    const budgetMs = 300
    const { client } = await clientFor({
      SWITCHYARD_RETRY_TIME_BUDGET_MS: String(budgetMs),
      SWITCHYARD_RETRY_MAX_ATTEMPTS: '50',
      SWITCHYARD_RETRIES_PER_DEPLOYMENT: '20',
      SWITCHYARD_RETRY_BASE_DELAY_MS: '100',
      SWITCHYARD_RETRY_MAX_DELAY_MS: '100',
      SWITCHYARD_CIRCUIT_FAILURE_THRESHOLD: '100',
    })
    const started = Date.now()
    const error = await settle(client.chat.completions.create({ model: 'flaky/fail-503-c', messages: [{ role: 'user', content: 'x' }] }))
    const elapsed = Date.now() - started
    expect((error as { status: number }).status).toBe(503)
    // The last wait ended within the budget; only its one attempt (a few ms here) may run past it.
    // Without the budget, 20 retries at ~50 ms each would take about a second.
    expect(elapsed).toBeLessThan(budgetMs + 200)
    expect(requestsFor('fail-503-c').length).toBeGreaterThanOrEqual(2)
    expect(requestsFor('fail-503-c').length).toBeLessThan(21)
  })
})

describe('every circuit open', () => {
  test('a fast 503 with Retry-After and no upstream call; after the cooldown one probe each goes through', async () => {
    const cooldownMs = 600
    const { gateway, client } = await clientFor({
      SWITCHYARD_CIRCUIT_COOLDOWN_MS: String(cooldownMs),
      SWITCHYARD_CIRCUIT_FAILURE_THRESHOLD: '2',
      SWITCHYARD_RETRY_BASE_DELAY_MS: '1',
      SWITCHYARD_RETRY_MAX_DELAY_MS: '1',
    })
    const ask = () =>
      settle(
        client.chat.completions.create({
          model: 'flaky/fail-500-x',
          models: ['flaky/fail-500-y'],
          messages: [{ role: 'user', content: 'x' }],
        } as never),
      )
    const stateOf = async (id: string) =>
      (await gateway.admin<{ data: Array<{ deployment_id: string; state: string }> }>('GET', '/api/v1/admin/health')).body.data.find(
        (entry) => entry.deployment_id === id,
      )?.state
    // One request: each deployment fails twice (a try and a retry), which opens both circuits.
    expect(((await ask()) as { status: number }).status).toBe(502)
    expect(await stateOf('flaky/fail-500-x')).toBe('open')
    expect(await stateOf('flaky/fail-500-y')).toBe('open')
    const before = fake.requests.length
    const started = Date.now()
    const error = await ask()
    expect(Date.now() - started).toBeLessThan(cooldownMs / 2)
    expect((error as { status: number }).status).toBe(503)
    expect((error as Error).message).toContain('No candidate model is available right now')
    expect((error as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after')).toBe('1')
    expect((error as InstanceType<typeof OpenAI.APIError>).headers?.get('x-switchyard-attempts')).toBe(
      'flaky/fail-500-x skipped circuit_open; flaky/fail-500-y skipped circuit_open',
    )
    expect(fake.requests.length).toBe(before)
    await Bun.sleep(cooldownMs + 20)
    // Half-open: this request probes each deployment once (both still fail), and the circuits reopen.
    const probed = await ask()
    expect((probed as { status: number }).status).toBe(502)
    expect(fake.requests.length).toBe(before + 2)
    expect((probed as InstanceType<typeof OpenAI.APIError>).headers?.get('x-switchyard-attempts')).toMatch(
      /^flaky\/fail-500-x probe upstream_error 500 \d+ms; flaky\/fail-500-y probe upstream_error 500 \d+ms$/,
    )
    expect(await stateOf('flaky/fail-500-x')).toBe('open')
  })
})

describe('active probes (SWITCHYARD_ACTIVE_PROBE_INTERVAL_MS)', () => {
  test('an open circuit is probed once per cooldown with a tiny request, and closes on recovery with no client traffic', async () => {
    const cooldownMs = 100
    const { gateway, client } = await clientFor({
      SWITCHYARD_ACTIVE_PROBE_INTERVAL_MS: '10',
      SWITCHYARD_CIRCUIT_COOLDOWN_MS: String(cooldownMs),
      SWITCHYARD_CIRCUIT_FAILURE_THRESHOLD: '2',
      SWITCHYARD_RETRY_BASE_DELAY_MS: '1',
      SWITCHYARD_RETRY_MAX_DELAY_MS: '1',
    })
    const health = async () => {
      const { body } = await gateway.admin<{ data: Array<{ deployment_id: string; state: string; probes: number }> }>(
        'GET',
        '/api/v1/admin/health',
      )
      return body.data.find((entry) => entry.deployment_id === 'flaky/probe-target')
    }
    fake.setDefault({ kind: 'status', status: 500 })
    // One client request: it and its retry fail, which opens the circuit (threshold 2).
    expect(
      (
        (await settle(client.chat.completions.create({ model: 'flaky/probe-target', messages: [{ role: 'user', content: 'x' }] }))) as {
          status: number
        }
      ).status,
    ).toBe(502)
    expect((await health())?.state).toBe('open')
    const clientCalls = requestsFor('probe-target').length
    await Bun.sleep(cooldownMs * 3 + 50)
    const probes = requestsFor('probe-target').slice(clientCalls)
    expect(probes.length).toBeGreaterThanOrEqual(2)
    expect(probes.length).toBeLessThanOrEqual(4)
    for (const probe of probes) expect(probe.body).toMatchObject({ max_tokens: 1, messages: [{ role: 'user', content: 'ping' }] })
    for (let index = 1; index < probes.length; index += 1) {
      expect((probes[index]?.receivedAt ?? 0) - (probes[index - 1]?.receivedAt ?? 0)).toBeGreaterThanOrEqual(cooldownMs - 5)
    }
    fake.setDefault(undefined)
    const deadline = Date.now() + cooldownMs * 3
    while ((await health())?.state !== 'closed' && Date.now() < deadline) await Bun.sleep(10)
    expect((await health())?.state).toBe('closed')
    const { response } = await client.chat.completions
      .create({ model: 'flaky/probe-target', messages: [{ role: 'user', content: 'back' }] })
      .withResponse()
    expect(response.headers.get('x-switchyard-attempts')).toMatch(/^flaky\/probe-target ok \d+ms$/)
  })
})
