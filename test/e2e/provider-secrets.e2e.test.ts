import { afterAll, describe, expect, test } from 'bun:test'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Database } from 'bun:sqlite'
import { SQL } from 'bun'
import OpenAI from 'openai'
import { keyIdOf, parseSecretKey } from '../../src/secrets/secret-box.ts'
import { createTestSchema } from '../../src/store/postgres/isolated-postgres-stores.ts'
import { type FakeProviderHandle, startFakeProvider } from '../support/fake-provider.ts'
import { settle } from '../support/settle.ts'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// Provider credentials entered through the admin API are sealed at rest (S1 of the security bar):
// canaries never appear in the database files, a wrong key fails closed, and a rotation with the
// previous key re-seals every row. Real HTTP, the official SDK, a real SQLite file and restarts.

const directory = mkdtempSync(join(tmpdir(), 'switchyard-secrets-'))
const databaseFile = join(directory, 'gateway.db')
const keyCanary = `sk-canary-${crypto.randomUUID()}`
const headerCanary = `header-canary-${crypto.randomUUID()}`
let fake: FakeProviderHandle | undefined

afterAll(async () => {
  await fake?.close()
  rmSync(directory, { recursive: true, force: true })
})

async function withGateway<T>(env: Record<string, string>, use: (gateway: TestGateway, client: OpenAI) => Promise<T>): Promise<T> {
  const gateway = await startTestGateway({ db: `sqlite:${databaseFile}`, env })
  try {
    const client = new OpenAI({ apiKey: (await gateway.createKey()).raw, baseURL: gateway.baseUrl, maxRetries: 0 })
    return await use(gateway, client)
  } finally {
    await gateway.stop()
  }
}

const ask = (client: OpenAI) => client.chat.completions.create({ model: 'vault/vault-model', messages: [{ role: 'user', content: 'hi' }] })

function storedSpec(): string {
  const database = new Database(databaseFile, { readonly: true })
  try {
    const row = database.query("SELECT spec FROM routing_registry_entries WHERE kind = 'provider' AND id = 'vault'").get() as {
      spec: string
    }
    return row.spec
  } finally {
    database.close()
  }
}

describe('provider credentials at rest', () => {
  test('are sealed in the database, served after a restart, refused with a wrong key, and re-sealed by a rotation', async () => {
    fake = startFakeProvider()
    const baseUrl = `${fake.url}/v1`
    await withGateway({}, async (gateway, client) => {
      const provider = await gateway.admin('POST', '/api/v1/admin/providers', {
        id: 'vault',
        type: 'openai-compatible',
        base_url: baseUrl,
        api_key: keyCanary,
        headers: { 'x-canary': headerCanary },
      })
      expect(provider.status).toBe(201)
      expect((await gateway.admin('POST', '/api/v1/admin/models', { provider: 'vault', model: 'vault-model' })).status).toBe(201)
      expect((await ask(client)).choices[0]?.message.content).toBe('echo: hi')
      expect(fake?.requests.at(-1)?.headers.authorization).toBe(`Bearer ${keyCanary}`)
      expect(fake?.requests.at(-1)?.headers['x-canary']).toBe(headerCanary)
    })

    // Every byte the database left on disk (file, WAL, shared memory): no canary.
    const databaseBytes = readdirSync(directory)
      .filter((name) => name.startsWith('gateway.db') && !name.endsWith('.secret-key'))
      .map((name) => readFileSync(join(directory, name)).toString('latin1'))
      .join('')
    expect(databaseBytes.length).toBeGreaterThan(0)
    expect(databaseBytes).not.toContain(keyCanary)
    expect(databaseBytes).not.toContain(headerCanary)
    const keyFile = join(databaseFile.concat('.secret-key'))
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    const fileKey = parseSecretKey(readFileSync(keyFile, 'utf8'))
    expect(storedSpec()).toStartWith(`sealed:v1:${keyIdOf(fileKey)}:`)

    // A restart finds the key file again.
    await withGateway({}, async (_gateway, client) => {
      expect((await ask(client)).choices[0]?.message.content).toBe('echo: hi')
    })

    // A wrong key fails closed: the provider is not served, and nothing reaches it.
    const newKey = randomBytes(32).toString('base64')
    const requestsBefore = fake.requests.length
    await withGateway({ SWITCHYARD_SECRET_KEY: newKey }, async (_gateway, client) => {
      expect(await settle(ask(client))).toMatchObject({ status: 404 })
    })
    expect(fake.requests.length).toBe(requestsBefore)

    // The rotation: the new key with the old one as previous re-seals the row at start.
    const previous = Buffer.from(fileKey).toString('base64')
    await withGateway({ SWITCHYARD_SECRET_KEY: newKey, SWITCHYARD_SECRET_KEY_PREVIOUS: previous }, async (_gateway, client) => {
      expect((await ask(client)).choices[0]?.message.content).toBe('echo: hi')
    })
    expect(storedSpec()).toStartWith(`sealed:v1:${keyIdOf(parseSecretKey(newKey))}:`)
    await withGateway({ SWITCHYARD_SECRET_KEY: newKey }, async (_gateway, client) => {
      expect((await ask(client)).choices[0]?.message.content).toBe('echo: hi')
      expect(fake?.requests.at(-1)?.headers.authorization).toBe(`Bearer ${keyCanary}`)
    })
  }, 60_000)

  test('a credential stored in plaintext by an earlier version is sealed at the next start', async () => {
    fake ??= startFakeProvider()
    const legacyFile = join(directory, 'legacy.db')
    const { createSqliteStore } = await import('../../src/store/sqlite/sqlite-store.ts')
    const store = createSqliteStore(legacyFile)
    await store.migrate()
    const spec = JSON.stringify({ type: 'openai-compatible', base_url: `${fake.url}/v1`, api_key: keyCanary })
    await store.routing.registry.put({ kind: 'provider', id: 'vault', spec, disabled: false, updatedAt: 1 })
    await store.routing.registry.put({
      kind: 'model',
      id: 'vault/vault-model',
      spec: JSON.stringify({ provider: 'vault', model: 'vault-model' }),
      disabled: false,
      updatedAt: 2,
    })
    await store.close()
    const gateway = await startTestGateway({ db: `sqlite:${legacyFile}` })
    try {
      const client = new OpenAI({ apiKey: (await gateway.createKey()).raw, baseURL: gateway.baseUrl, maxRetries: 0 })
      expect((await ask(client)).choices[0]?.message.content).toBe('echo: hi')
    } finally {
      await gateway.stop()
    }
    const database = new Database(legacyFile, { readonly: true })
    const row = database.query("SELECT spec FROM routing_registry_entries WHERE kind = 'provider'").get() as { spec: string }
    database.close()
    expect(row.spec).toStartWith('sealed:v1:')
    expect(row.spec).not.toContain(keyCanary)
  }, 30_000)

  const postgresUrl = process.env.SWITCHYARD_TEST_POSTGRES_URL
  test.skipIf(postgresUrl == null)(
    'on PostgreSQL without SWITCHYARD_SECRET_KEY, a credential is refused with a clear 400',
    async () => {
      const admin = new SQL(postgresUrl ?? '', { max: 1 })
      const testSchema = await createTestSchema(admin, postgresUrl ?? '')
      const gateway = await startTestGateway({ db: testSchema.url })
      try {
        const refused = await gateway.admin<{ error: { message: string; param: string } }>('POST', '/api/v1/admin/providers', {
          id: 'vault',
          type: 'openai-compatible',
          base_url: 'http://127.0.0.1:9/v1',
          api_key: keyCanary,
        })
        expect(refused.status).toBe(400)
        expect(refused.body.error).toMatchObject({ param: 'api_key' })
        expect(refused.body.error.message).toContain('SWITCHYARD_SECRET_KEY')
        // A provider without credentials (a local server) needs no key.
        const keyless = await gateway.admin('POST', '/api/v1/admin/providers', {
          id: 'local',
          type: 'openai-compatible',
          base_url: 'http://127.0.0.1:9/v1',
        })
        expect(keyless.status).toBe(201)
      } finally {
        await gateway.stop()
        await testSchema.drop()
        await admin.close()
      }
    },
    30_000,
  )
})
