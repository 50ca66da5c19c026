import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import { type FakeProviderHandle, type RecordedRequest, startFakeProvider } from '../support/fake-provider.ts'
import { settle } from '../support/settle.ts'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// Failover and circuit breaking through real HTTP: the official OpenAI SDK → the gateway → two
// loopback fake providers ("primary" and "backup"), with faults injected into the primary.
// Each test uses its own model ids, so each has its own deployments and circuits.

const cooldownMs = 150
const failureThreshold = 5

let primary: FakeProviderHandle
let backup: FakeProviderHandle
let gateway: TestGateway
let client: OpenAI
let configDir: string

type HealthEntry = {
  deployment_id: string
  state: string
  available: boolean
  requests: number
  failures: number
  circuit_opens: number
  probes: number
  latency_ema_ms: number | null
  ttft_ema_ms: number | null
}

beforeAll(async () => {
  primary = startFakeProvider()
  backup = startFakeProvider()
  configDir = mkdtempSync(join(tmpdir(), 'switchyard-failover-'))
  const configFile = join(configDir, 'switchyard.yaml')
  writeFileSync(
    configFile,
    `providers:
  primary: { type: openai-compatible, base_url: "${primary.url}/v1", api_key: sk-primary }
  backup: { type: openai-compatible, base_url: "${backup.url}/v1", api_key: sk-backup }
models:
  - { provider: primary, model: fake-model, context_window: 8000 }
  - { provider: backup, model: fake-model, context_window: 8000 }
  - { provider: primary, model: small-model, context_window: 4000 }
  - { provider: primary, model: tiny-model, context_window: 4000 }
  - { provider: backup, model: mid-model, context_window: 4000 }
  - { provider: backup, model: big-model, context_window: 128000 }
`,
  )
  gateway = await startTestGateway({
    configFile,
    env: {
      SWITCHYARD_UPSTREAM_TIMEOUT_MS: '400',
      SWITCHYARD_CIRCUIT_COOLDOWN_MS: String(cooldownMs),
      SWITCHYARD_CIRCUIT_FAILURE_THRESHOLD: String(failureThreshold),
      SWITCHYARD_RETRY_BASE_DELAY_MS: '5',
      SWITCHYARD_RETRY_MAX_DELAY_MS: '20',
      SWITCHYARD_RETRY_AFTER_CAP_MS: '1500',
    },
  })
  client = new OpenAI({ apiKey: (await gateway.createKey()).raw, baseURL: gateway.baseUrl, maxRetries: 0 })
})

beforeEach(() => {
  primary.reset()
  backup.reset()
})

afterAll(async () => {
  await gateway.stop()
  await primary.close()
  await backup.close()
  rmSync(configDir, { recursive: true, force: true })
})

const modelOf = (request: RecordedRequest) => (request.body as { model?: string } | undefined)?.model

async function healthOf(deploymentId: string): Promise<HealthEntry | undefined> {
  const { status, body } = await gateway.admin<{ data: HealthEntry[] }>('GET', '/api/v1/admin/health')
  expect(status).toBe(200)
  return body.data.find((entry) => entry.deployment_id === deploymentId)
}

function ask(model: string, fallbacks: string[], content = 'ping') {
  return client.chat.completions.create({ model, models: fallbacks, messages: [{ role: 'user', content }] } as never).withResponse()
}

describe('fault injection: a primary that fails every request, then recovers', () => {
  test('2,000 requests: ≥ 99.9% succeed, the circuit opens, one probe per cooldown, primary used again after recovery', async () => {
    const total = 2000
    const concurrency = 20
    let succeeded = 0
    let servedByPrimaryAfterRecovery = 0
    primary.setDefault({ kind: 'status', status: 500 })
    const failingSince = Date.now()
    let recoveredAt = 0

    // Phase one is paced (about 1,000 requests a second) so it spans many cooldowns.
    const run = async (count: number, paceMs: number, onAnswer: (model: string | null) => void) => {
      let next = 0
      const worker = async () => {
        while (next < count) {
          next += 1
          try {
            const { response } = await ask('primary/fake-model', ['backup/fake-model'])
            succeeded += 1
            onAnswer(response.headers.get('x-switchyard-model'))
          } catch {
            // Counted as a failure by not counting it as a success.
          }
          if (paceMs > 0) await Bun.sleep(paceMs)
        }
      }
      await Promise.all(Array.from({ length: concurrency }, worker))
    }

    await run(total / 2, 20, () => {})
    const failingUntil = Date.now()
    const duringOutage = primary.requests.filter((request) => modelOf(request) === 'fake-model').map((request) => request.receivedAt)
    const outageHealth = await healthOf('primary/fake-model')

    primary.setDefault(undefined)
    recoveredAt = Date.now()
    const answeredAfterRecovery: Array<string | null> = []
    await run(total / 2, 0, (model) => {
      answeredAfterRecovery.push(model)
      if (model === 'primary/fake-model') servedByPrimaryAfterRecovery += 1
    })

    expect(succeeded / total).toBeGreaterThanOrEqual(0.999)
    expect(outageHealth?.circuit_opens).toBeGreaterThanOrEqual(1)
    expect(outageHealth?.state).not.toBe('closed')

    // The burst before the circuit opened: the first wave of concurrent requests and their retries.
    // No probe can come earlier than one cooldown after the first failure (5 ms of clock tolerance).
    const burstEnd = (duringOutage[0] ?? failingSince) + cooldownMs - 5
    const burst = duringOutage.filter((time) => time < burstEnd)
    const probes = duringOutage.filter((time) => time >= burstEnd)
    expect(burst.length).toBeLessThanOrEqual(2 * concurrency)
    // While open, the primary sees at most one probe per cooldown (5 ms of clock tolerance).
    for (let index = 1; index < probes.length; index += 1) {
      expect((probes[index] ?? 0) - (probes[index - 1] ?? 0)).toBeGreaterThanOrEqual(cooldownMs - 5)
    }
    const outageMs = failingUntil - failingSince
    expect(probes.length).toBeLessThanOrEqual(Math.floor(outageMs / cooldownMs) + 1)
    expect(probes.length).toBeGreaterThanOrEqual(2)
    expect(outageHealth?.probes).toBe(probes.length)

    // After recovery: the next probe (within one cooldown) closes the circuit and the primary serves
    // again; after its first answer only requests already in flight may still come from the backup.
    const firstPrimary = answeredAfterRecovery.indexOf('primary/fake-model')
    expect(firstPrimary).toBeGreaterThanOrEqual(0)
    const backupAfterward = answeredAfterRecovery.slice(firstPrimary).filter((model) => model !== 'primary/fake-model').length
    expect(backupAfterward).toBeLessThanOrEqual(concurrency)
    const recovered = await healthOf('primary/fake-model')
    expect(recovered?.state).toBe('closed')
    expect(primary.requests.filter((request) => request.receivedAt >= recoveredAt).length).toBeGreaterThan(0)
    console.log(
      `fault injection: ${succeeded}/${total} succeeded; outage ${outageMs} ms; primary saw ${burst.length} requests before the circuit opened and ${probes.length} probes while open; ${servedByPrimaryAfterRecovery}/${total / 2} served by the primary after recovery`,
    )
  }, 60_000)
})

describe('retries, Retry-After, timeouts, context overflow', () => {
  test('a 429 with Retry-After under the cap: waits it out, then succeeds on the same deployment', async () => {
    primary.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '1' } })
    const started = Date.now()
    const { data, response } = await ask('primary/fake-model', ['backup/fake-model'], 'patience')
    expect(data.choices[0]?.message.content).toBe('echo: patience')
    expect(response.headers.get('x-switchyard-model')).toBe('primary/fake-model')
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    expect(primary.requests).toHaveLength(2)
    expect(backup.requests).toHaveLength(0)
    expect(response.headers.get('x-switchyard-attempts')).toMatch(
      /^primary\/fake-model upstream_rate_limited 429 \d+ms; primary\/fake-model ok \d+ms after 1000ms$/,
    )
  })

  test('a 429 again after the wait: moves on to the next candidate instead of waiting again', async () => {
    primary.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '1' } })
    primary.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '1' } })
    const started = Date.now()
    const { data, response } = await ask('primary/stubborn-model', ['backup/fake-model'], 'next please')
    expect(data.choices[0]?.message.content).toBe('echo: next please')
    expect(response.headers.get('x-switchyard-model')).toBe('backup/fake-model')
    expect(response.headers.get('x-switchyard-fallbacks')).toBe('1')
    // One wait of the Retry-After, not one per attempt of the whole budget.
    expect(Date.now() - started).toBeLessThan(1_900)
    expect(primary.requests).toHaveLength(2)
    expect(response.headers.get('x-switchyard-attempts')).toMatch(
      /^primary\/stubborn-model upstream_rate_limited 429 \d+ms; primary\/stubborn-model upstream_rate_limited 429 \d+ms after 1000ms; backup\/fake-model ok \d+ms$/,
    )
  })

  test('a 429 with Retry-After over the cap: moves on at once, and the deployment is skipped until then', async () => {
    primary.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '5' } })
    const started = Date.now()
    const first = await ask('primary/small-model', ['backup/fake-model'], 'elsewhere')
    expect(first.response.headers.get('x-switchyard-model')).toBe('backup/fake-model')
    expect(Date.now() - started).toBeLessThan(900)
    const second = await ask('primary/small-model', ['backup/fake-model'], 'again')
    expect(second.response.headers.get('x-switchyard-model')).toBe('backup/fake-model')
    // Routing puts the rate-limited deployment last, so the backup answers first and the primary
    // is not called again before its Retry-After.
    expect(second.response.headers.get('x-switchyard-attempts')).toMatch(/^backup\/fake-model ok/)
    expect(primary.requests).toHaveLength(1)
  })

  test('a deployment rate limited by an earlier request, for less than the cap, is waited for when nothing else is left', async () => {
    primary.enqueue({ kind: 'status', status: 429, headers: { 'retry-after': '1' } })
    const first = ask('primary/defer-model', [], 'first')
    await Bun.sleep(200)
    const started = Date.now()
    const { data, response } = await ask('primary/defer-model', [], 'second')
    expect(data.choices[0]?.message.content).toBe('echo: second')
    expect(Date.now() - started).toBeGreaterThanOrEqual(600)
    expect(response.headers.get('x-switchyard-attempts')).toMatch(
      /^primary\/defer-model skipped rate_limited; primary\/defer-model ok \d+ms after \d+ms$/,
    )
    expect(response.headers.get('x-switchyard-fallbacks')).toBe('0')
    expect((await first).data.choices[0]?.message.content).toBe('echo: first')
    // The first request's 429 and retry, and the second's one call: never called while rate limited.
    expect(primary.requests).toHaveLength(3)
  })

  test('every candidate rate limited beyond the cap: a 429 with Retry-After, no upstream call', async () => {
    const error = await settle(ask('primary/small-model', []))
    expect(error).toBeInstanceOf(OpenAI.RateLimitError)
    expect(Number((error as InstanceType<typeof OpenAI.APIError>).headers?.get('retry-after'))).toBeGreaterThanOrEqual(1)
    expect(primary.requests).toHaveLength(0)
  })

  test('a timeout counts as a failure and moves on without retrying the same deployment', async () => {
    primary.enqueue({ kind: 'hang' })
    const { data, response } = await ask('primary/lazy-model', ['backup/fake-model'], 'in time')
    expect(data.choices[0]?.message.content).toBe('echo: in time')
    expect(response.headers.get('x-switchyard-model')).toBe('backup/fake-model')
    expect(response.headers.get('x-switchyard-fallbacks')).toBe('1')
    expect(response.headers.get('x-switchyard-attempts')).toMatch(/^primary\/lazy-model upstream_timeout \d+ms; backup\/fake-model ok/)
    expect(primary.requests).toHaveLength(1)
    const health = await healthOf('primary/lazy-model')
    expect(health).toMatchObject({ failures: 1, state: 'closed' })
  })

  test('a context overflow moves to a model with a bigger context window, skipping smaller ones', async () => {
    primary.enqueue({
      kind: 'status',
      status: 400,
      body: { error: { message: "This model's maximum context length is 4000 tokens.", type: 'invalid_request_error' } },
    })
    const { data, response } = await ask('primary/tiny-model', ['backup/mid-model', 'backup/big-model'], 'a long prompt')
    expect(data.choices[0]?.message.content).toBe('echo: a long prompt')
    expect(response.headers.get('x-switchyard-model')).toBe('backup/big-model')
    expect(response.headers.get('x-switchyard-attempts')).toMatch(
      /^primary\/tiny-model context_length_exceeded 400 \d+ms; backup\/mid-model skipped context_too_small; backup\/big-model ok/,
    )
    expect(backup.requests.map(modelOf)).toEqual(['big-model'])
  })

  test('a request the provider refuses (other 4xx) is not retried or failed over', async () => {
    primary.enqueue({ kind: 'status', status: 422, body: { error: { message: 'bad parameter' } } })
    const error = await settle(ask('primary/fake-model', ['backup/fake-model']))
    expect((error as { status: number }).status).toBe(422)
    // Nothing fell back: the one candidate tried is where the request ended.
    expect((error as InstanceType<typeof OpenAI.APIError>).headers?.get('x-switchyard-fallbacks')).toBe('0')
    expect(primary.requests).toHaveLength(1)
    expect(backup.requests).toHaveLength(0)
  })

  test('every candidate failing: the error counts the moves between them as fallbacks', async () => {
    primary.enqueue({ kind: 'status', status: 401, body: { error: { message: 'bad upstream key' } } })
    backup.enqueue({ kind: 'status', status: 401, body: { error: { message: 'bad upstream key' } } })
    const error = await settle(ask('primary/fake-model', ['backup/fake-model']))
    expect((error as { status: number }).status).toBe(502)
    expect((error as InstanceType<typeof OpenAI.APIError>).headers?.get('x-switchyard-fallbacks')).toBe('1')
    expect(primary.requests).toHaveLength(1)
    expect(backup.requests).toHaveLength(1)
  })

  test('GET /api/v1/admin/health needs the admin token; /readyz summarises circuits', async () => {
    const anonymous = await fetch(`${gateway.url}/api/v1/admin/health`)
    expect(anonymous.status).toBe(401)
    const ready = (await (await fetch(`${gateway.url}/readyz`)).json()) as { deployments: { known: number; open_circuits: number } }
    expect(ready.deployments.known).toBeGreaterThan(0)
    const entry = await healthOf('primary/fake-model')
    expect(entry?.latency_ema_ms).toBeGreaterThan(0)
  })

  test('a stream that breaks off after its first chunk counts as a failure of its deployment', async () => {
    const stream = await client.chat.completions.create({
      model: 'primary/cut-2',
      stream: true,
      messages: [{ role: 'user', content: 'a b c d e f' }],
    })
    const error = await settle(
      (async () => {
        for await (const _chunk of stream) {
          // read until the break
        }
      })(),
    )
    expect(error).toBeInstanceOf(OpenAI.APIError)
    expect(await healthOf('primary/cut-2')).toMatchObject({ requests: 1, failures: 1 })
  })

  test('a stream records time to first token; its attempts header is sent before the first byte', async () => {
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'primary/tiny-model', stream: true, messages: [{ role: 'user', content: 'stream me' }] })
      .withResponse()
    expect(response.headers.get('x-switchyard-attempts')).toMatch(/^primary\/tiny-model ok \d+ms$/)
    let text = ''
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? ''
    expect(text).toBe('echo: stream me')
    const entry = await healthOf('primary/tiny-model')
    expect(entry?.ttft_ema_ms).not.toBeNull()
  })
})
