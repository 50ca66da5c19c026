import { describe, expect, test } from 'bun:test'
import { createSqliteStore } from '../store/sqlite/sqlite-store.ts'
import type { Store } from '../store/store.ts'
import { createApiKeyAuthenticator } from './api-key-authenticator.ts'
import { createApiKeyService } from './api-key-service.ts'

const caller = { actor: 'test', requestId: 'req_test' }

async function setup() {
  const store = createSqliteStore(':memory:')
  await store.migrate()
  await store.users.insert({ id: 'usr_1', email: 'a@example.com', passwordHash: null, createdAt: 1 })
  let lookups = 0
  const counting: Store = {
    ...store,
    apiKeys: {
      ...store.apiKeys,
      findByDigest: (digest) => {
        lookups++
        return store.apiKeys.findByDigest(digest)
      },
    },
  }
  const authenticator = createApiKeyAuthenticator({ store: counting })
  return { store, authenticator, service: createApiKeyService({ store: counting, authenticator }), lookups: () => lookups }
}

describe('api key authenticator', () => {
  test('a key created here is authenticated from memory, with no database read', async () => {
    const { authenticator, service, lookups } = await setup()
    const created = await service.create({ userId: 'usr_1', name: 'a', scopes: ['chat'] }, caller)
    for (let index = 0; index < 100; index++) expect((await authenticator.authenticate(created.raw)).id).toBe(created.id)
    expect(lookups()).toBe(0)
  })

  test('a key created elsewhere is read once, then served from memory', async () => {
    const { store, authenticator, lookups } = await setup()
    const other = createApiKeyService({ store, authenticator: createApiKeyAuthenticator({ store }) })
    const created = await other.create({ userId: 'usr_1', name: 'b', scopes: ['chat'] }, caller)
    await authenticator.authenticate(created.raw)
    await authenticator.authenticate(created.raw)
    expect(lookups()).toBe(1)
  })

  test('unknown keys are remembered as unknown, so a flood is one query', async () => {
    const { authenticator, lookups } = await setup()
    for (let index = 0; index < 50; index++) await expect(authenticator.authenticate('sk-sy-bogus')).rejects.toMatchObject({ status: 401 })
    expect(lookups()).toBe(1)
  })

  test('revocation takes effect at once', async () => {
    const { authenticator, service } = await setup()
    const created = await service.create({ userId: 'usr_1', name: 'c', scopes: ['chat'] }, caller)
    await authenticator.authenticate(created.raw)
    await service.revoke(created.id, caller)
    await expect(authenticator.authenticate(created.raw)).rejects.toMatchObject({
      status: 401,
      message: expect.stringContaining('revoked'),
    })
  })

  test('an expired key is refused; a revocation heard from another replica applies to the cache', async () => {
    let clock = 1_000
    const { store } = await setup()
    const authenticator = createApiKeyAuthenticator({ store, now: () => clock })
    const service = createApiKeyService({ store, authenticator, now: () => clock })
    const expiring = await service.create({ userId: 'usr_1', name: 'e', scopes: ['chat'], expiresAt: 2_000 }, caller)
    expect((await authenticator.authenticate(expiring.raw)).id).toBe(expiring.id)
    clock = 2_000
    await expect(authenticator.authenticate(expiring.raw)).rejects.toMatchObject({
      status: 401,
      message: expect.stringContaining('expired'),
    })
    const other = await service.create(
      { userId: 'usr_1', name: 'f', scopes: ['chat'], rateLimits: { burstRps: 3, maxConcurrent: 2 } },
      caller,
    )
    expect(authenticator.cachedById(other.id)?.rateLimits).toEqual({
      burstRps: 3,
      requestsPerMinute: null,
      tokensPerMinute: null,
      maxConcurrent: 2,
    })
    const record = await store.apiKeys.get(other.id)
    authenticator.markRevoked(record?.digest ?? '', 2_500)
    await expect(authenticator.authenticate(other.raw)).rejects.toMatchObject({ status: 401 })
  })

  test('a store outage is a 503, not a 500', async () => {
    const { store } = await setup()
    const broken: Store = { ...store, apiKeys: { ...store.apiKeys, findByDigest: () => Promise.reject(new Error('connection refused')) } }
    await expect(createApiKeyAuthenticator({ store: broken }).authenticate('sk-sy-x')).rejects.toMatchObject({ status: 503 })
  })
})
