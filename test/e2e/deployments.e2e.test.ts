import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import { type FakeProviderHandle, startFakeProvider } from '../support/fake-provider.ts'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// One model, two deployments (switchyard.yaml `routing.deployments`): when the first provider
// fails before the first byte, the same model is served through the second, invisibly.

let fake: FakeProviderHandle
let gateway: TestGateway
let client: OpenAI
const directory = mkdtempSync(join(tmpdir(), 'switchyard-deployments-'))

beforeAll(async () => {
  fake = startFakeProvider()
  const configFile = join(directory, 'switchyard.yaml')
  writeFileSync(
    configFile,
    `providers:
  primary: { type: openai-compatible, base_url: "${fake.url}/v1", api_key: k1 }
  backup: { type: openai-compatible, base_url: "${fake.url}/v1", api_key: k2 }
models:
  - { provider: primary, model: fail-500, aliases: [shared-model], pricing: { input: 1, output: 2 } }
  - { provider: backup, model: fake-model, pricing: { input: 1, output: 2 } }
routing:
  deployments:
    primary/fail-500: [backup/fake-model]
`,
  )
  gateway = await startTestGateway({ configFile })
  client = new OpenAI({ apiKey: (await gateway.createKey()).raw, baseURL: gateway.baseUrl, maxRetries: 0 })
})

afterAll(async () => {
  await gateway.stop()
  await fake.close()
  rmSync(directory, { recursive: true, force: true })
})

describe('deployments', () => {
  test('a failing deployment falls over to the next deployment of the same model', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'shared-model', messages: [{ role: 'user', content: 'still there?' }] })
      .withResponse()
    expect(data.choices[0]?.message.content).toBe('echo: still there?')
    expect(response.headers.get('x-switchyard-provider')).toBe('backup')
    expect(response.headers.get('x-switchyard-fallbacks')).toBe('1')
    expect(response.headers.get('x-switchyard-candidates')).toBe('2')
    const sentTo = fake.requests.map((request) => (request.body as { model: string }).model)
    // The failing deployment may be retried (with backoff) before the fallover; never after it.
    expect(sentTo.at(-1)).toBe('fake-model')
    expect(sentTo.slice(0, -1).length).toBeGreaterThanOrEqual(1)
    expect(sentTo.slice(0, -1).every((model) => model === 'fail-500')).toBe(true)
  })

  test('allow_fallbacks: false keeps the request on the first deployment', async () => {
    const error = await client.chat.completions
      .create({
        model: 'shared-model',
        messages: [{ role: 'user', content: 'x' }],
        routing: { provider: { allow_fallbacks: false } },
      } as never)
      .catch((thrown: unknown) => thrown)
    expect(error).toBeInstanceOf(OpenAI.InternalServerError)
    const requestId = (error as InstanceType<typeof OpenAI.InternalServerError>).headers?.get('x-request-id') ?? ''
    type Routing = { answeredBy: string | null; error?: { code: string }; order: string[] }
    let routing: Routing | null = null
    for (let tries = 0; tries < 100 && routing == null; tries++) {
      const found: { status: number; body: { routing: Routing | null } } = await gateway.admin('GET', `/api/v1/admin/requests/${requestId}`)
      routing = found.status === 200 ? found.body.routing : null
      if (routing == null) await Bun.sleep(25)
    }
    expect(routing).toMatchObject({ answeredBy: null, error: { code: 'upstream_error' }, order: ['primary/fail-500'] })
  })
})
