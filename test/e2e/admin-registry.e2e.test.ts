import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import OpenAI from 'openai'
import { type FakeProviderHandle, startFakeProvider } from '../support/fake-provider.ts'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// The registry admin API through real HTTP: changes apply to the next request without a restart,
// and survive one (SQLite file; the PostgreSQL side is covered by the store contract).

let fake: FakeProviderHandle
let gateway: TestGateway
let client: OpenAI
const directory = mkdtempSync(join(tmpdir(), 'switchyard-registry-'))
const db = `sqlite:${join(directory, 'gateway.db')}`

beforeAll(async () => {
  fake = startFakeProvider()
  gateway = await startTestGateway({ db })
  client = new OpenAI({ apiKey: (await gateway.createKey()).raw, baseURL: gateway.baseUrl, maxRetries: 0 })
})

afterAll(async () => {
  await gateway.stop()
  await fake.close()
  rmSync(directory, { recursive: true, force: true })
})

type ModelView = { id: string; weight: number; enabled: boolean; source: string; pricing: { input: number } | null }
type ProviderView = { id: string; enabled: boolean; has_api_key: boolean; source: string; models: number }

describe('admin registry API', () => {
  test('a provider and a model created through the API serve the next request', async () => {
    const provider = await gateway.admin<ProviderView>('POST', '/api/v1/admin/providers', {
      id: 'lab',
      type: 'openai-compatible',
      base_url: `${fake.url}/v1`,
      api_key: 'sk-lab-secret',
    })
    expect(provider.status).toBe(201)
    expect(provider.body).toMatchObject({ id: 'lab', enabled: true, has_api_key: true, source: 'admin' })
    expect(JSON.stringify(provider.body)).not.toContain('sk-lab-secret')

    const created = await gateway.admin<ModelView>('POST', '/api/v1/admin/models', {
      provider: 'lab',
      model: 'lab-model-1',
      context_window: 32_000,
      pricing: { input: 0.2, output: 0.4 },
      capabilities: ['tools', 'json'],
      weight: 6,
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ id: 'lab/lab-model-1', weight: 6, enabled: true, source: 'admin', pricing: { input: 0.2 } })

    const completion = await client.chat.completions.create({ model: 'lab/lab-model-1', messages: [{ role: 'user', content: 'hi lab' }] })
    expect(completion.choices[0]?.message.content).toBe('echo: hi lab')
    expect(fake.requests.at(-1)?.headers.authorization).toBe('Bearer sk-lab-secret')
    expect((await client.models.list()).data.map((model) => model.id)).toContain('lab/lab-model-1')
  })

  test('every registry change appends an audit row; no provider key appears in it', async () => {
    const audit = await gateway.admin<{ data: Array<{ action: string; target: string; actor: string; request_id: string }> }>(
      'GET',
      '/api/v1/admin/audit?limit=100',
    )
    const actions = audit.body.data.map((row) => `${row.action} ${row.target}`)
    expect(actions).toContain('provider.create provider:lab')
    expect(actions).toContain('model.create model:lab/lab-model-1')
    expect(audit.body.data.every((row) => row.actor === 'admin' && row.request_id.length > 0)).toBe(true)
    expect(JSON.stringify(audit.body)).not.toContain('sk-lab-secret')
  })

  test('PATCH updates a model; the router sees the new weight at once', async () => {
    const patched = await gateway.admin<ModelView>('PATCH', '/api/v1/admin/models/lab/lab-model-1', {
      weight: 9,
      pricing: { input: 0.1, output: 0.2 },
    })
    expect(patched.status).toBe(200)
    expect(patched.body).toMatchObject({ weight: 9, pricing: { input: 0.1 } })
    const preview = await fetch(`${gateway.url}/api/v1/route/preview`, {
      method: 'POST',
      headers: { authorization: `Bearer ${client.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'router', messages: [{ role: 'user', content: 'x' }], routing: { min_weight: 8 } }),
    })
    expect(((await preview.json()) as { model: string }).model).toBe('lab/lab-model-1')
  })

  test('built-in models can be disabled and enabled; disabled ones are 404 and leave /v1/models', async () => {
    expect((await gateway.admin('DELETE', '/api/v1/admin/models/switchyard/echo')).status).toBe(200)
    const error = await client.chat.completions
      .create({ model: 'switchyard/echo', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.NotFoundError)
    const listed = await gateway.admin<{ data: ModelView[] }>('GET', '/api/v1/admin/models')
    expect(listed.body.data.find((model) => model.id === 'switchyard/echo')).toMatchObject({ enabled: false, source: 'builtin' })
    expect((await gateway.admin('PATCH', '/api/v1/admin/models/switchyard/echo', { disabled: false })).status).toBe(200)
    const echoed = await client.chat.completions.create({ model: 'switchyard/echo', messages: [{ role: 'user', content: 'back' }] })
    expect(echoed.choices[0]?.message.content).toContain('back')
  })

  test('a model created with other deployments fails over to them', async () => {
    const created = await gateway.admin<ModelView & { deployments: string[] }>('POST', '/api/v1/admin/models', {
      provider: 'lab',
      model: 'fail-503',
      deployments: ['lab/lab-model-1'],
    })
    expect(created.status).toBe(201)
    expect(created.body.deployments).toEqual(['lab/lab-model-1'])
    const { data, response } = await client.chat.completions
      .create({ model: 'lab/fail-503', messages: [{ role: 'user', content: 'via backup' }] })
      .withResponse()
    expect(data.choices[0]?.message.content).toBe('echo: via backup')
    expect(response.headers.get('x-switchyard-model')).toBe('lab/lab-model-1')
    expect(response.headers.get('x-switchyard-fallbacks')).toBe('1')
    const typo = await gateway.admin('PATCH', '/api/v1/admin/models/lab/fail-503', { deployments: ['lab/nope'] })
    expect(typo.status).toBe(400)
  })

  test('disabling a provider removes its models', async () => {
    expect((await gateway.admin<ProviderView>('DELETE', '/api/v1/admin/providers/lab')).body).toMatchObject({ enabled: false })
    const error = await client.chat.completions
      .create({ model: 'lab/lab-model-1', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OpenAI.NotFoundError)
    expect((await gateway.admin('PATCH', '/api/v1/admin/providers/lab', { disabled: false })).status).toBe(200)
  })

  test('bad entries are 400s naming the problem and are not stored', async () => {
    const unknownType = await gateway.admin<{ error: { message: string } }>('POST', '/api/v1/admin/providers', {
      id: 'bad',
      type: 'carrier-pigeon',
      base_url: 'http://x',
    })
    expect(unknownType.status).toBe(400)
    expect(unknownType.body.error.message).toContain('carrier-pigeon')
    const orphan = await gateway.admin<{ error: { message: string } }>('POST', '/api/v1/admin/models', { provider: 'nobody', model: 'm' })
    expect(orphan.status).toBe(400)
    expect(orphan.body.error.message).toContain('nobody')
    expect((await gateway.admin('POST', '/api/v1/admin/models', { provider: 'lab', model: 'lab-model-1' })).status).toBe(400)
    expect((await gateway.admin('POST', '/api/v1/admin/models', { provider: 'lab', model: 'm', weight: 11 })).status).toBe(400)
    expect((await gateway.admin('PATCH', '/api/v1/admin/models/nope/nope', { weight: 1 })).status).toBe(404)
    const providers = await gateway.admin<{ data: ProviderView[] }>('GET', '/api/v1/admin/providers')
    expect(providers.body.data.map((provider) => provider.id)).not.toContain('bad')
  })

  test('entries survive a restart', async () => {
    await gateway.stop()
    gateway = await startTestGateway({ db })
    client = new OpenAI({ apiKey: (await gateway.createKey()).raw, baseURL: gateway.baseUrl, maxRetries: 0 })
    const listed = await gateway.admin<{ data: ModelView[] }>('GET', '/api/v1/admin/models')
    expect(listed.body.data.find((model) => model.id === 'lab/lab-model-1')).toMatchObject({ weight: 9, enabled: true, source: 'admin' })
    const completion = await client.chat.completions.create({ model: 'lab/lab-model-1', messages: [{ role: 'user', content: 'again' }] })
    expect(completion.choices[0]?.message.content).toBe('echo: again')
  })

  test('the admin token is required', async () => {
    const response = await fetch(`${gateway.url}/api/v1/admin/models`)
    expect(response.status).toBe(401)
  })
})
