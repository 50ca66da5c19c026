import { expect, test } from 'bun:test'
import { createSqliteStore } from '../store/sqlite/sqlite-store.ts'
import { createApiKeyAuthenticator } from './api-key-authenticator.ts'
import { createApiKeyService } from './api-key-service.ts'
import { startRevocationSync } from './revocation-sync.ts'

test('without Redis, a replica still learns of a revocation by polling the database', async () => {
  const store = createSqliteStore(':memory:')
  await store.migrate()
  await store.users.insert({ id: 'usr_1', email: 'a@example.com', passwordHash: null, createdAt: 1 })
  // Two authenticators over one store stand for two replicas; only the second one polls.
  const here = createApiKeyAuthenticator({ store })
  const elsewhere = createApiKeyAuthenticator({ store })
  const sync = await startRevocationSync({ store, authenticator: elsewhere, redisUrl: undefined, channel: 'unused', pollIntervalMs: 20 })
  try {
    const service = createApiKeyService({ store, authenticator: here })
    const created = await service.create({ userId: 'usr_1', name: 'k', scopes: ['chat'] }, { actor: 'test', requestId: 'req_1' })
    expect((await elsewhere.authenticate(created.raw)).id).toBe(created.id)
    await service.revoke(created.id, { actor: 'test', requestId: 'req_2' })
    await Bun.sleep(80)
    await expect(elsewhere.authenticate(created.raw)).rejects.toMatchObject({ status: 401 })
  } finally {
    await sync.stop()
    await store.close()
  }
})
