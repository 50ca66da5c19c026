import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import type { ApiKeyRecord, RequestLogRow, Store } from './store.ts'

/**
 * One contract, every Store implementation: each implementation's test file calls this with a
 * factory that returns a fresh, migrated, empty store.
 */
export function runStoreContract(name: string, createStore: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store
    beforeEach(async () => {
      store = await createStore()
    })
    afterEach(async () => {
      await store.close()
    })

    const key = (overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
      id: 'key_1',
      name: 'first',
      keyPrefix: 'sk-sy-abcd',
      digest: 'a'.repeat(64),
      scopes: ['chat', 'embeddings'],
      createdAt: 1_700_000_000_000,
      revokedAt: null,
      ...overrides,
    })

    const logRow = (overrides: Partial<RequestLogRow> = {}): RequestLogRow => ({
      requestId: 'req_1',
      keyId: 'key_1',
      endpoint: '/v1/chat/completions',
      model: 'openai/gpt-4o-mini',
      provider: 'openai',
      status: 200,
      errorCode: null,
      stream: true,
      inputTokens: 12,
      outputTokens: 34,
      cachedInputTokens: 5,
      reasoningTokens: 2,
      costMicros: 9_007_199_254,
      latencyMs: 120,
      ttftMs: 40,
      createdAt: 1_700_000_000_123,
      ...overrides,
    })

    test('migrate is idempotent', async () => {
      await store.migrate()
      await store.migrate()
      expect(await store.apiKeys.list()).toEqual([])
    })

    test('keys round-trip and are found by digest', async () => {
      await store.apiKeys.insert(key())
      expect(await store.apiKeys.findByDigest('a'.repeat(64))).toEqual(key())
      expect(await store.apiKeys.get('key_1')).toEqual(key())
      expect(await store.apiKeys.findByDigest('b'.repeat(64))).toBeUndefined()
      expect(await store.apiKeys.get('missing')).toBeUndefined()
    })

    test('a digest is unique', async () => {
      await store.apiKeys.insert(key())
      await expect(store.apiKeys.insert(key({ id: 'key_2' }))).rejects.toThrow()
    })

    test('list is ordered by creation', async () => {
      await store.apiKeys.insert(key({ id: 'key_b', digest: 'b'.repeat(64), createdAt: 2 }))
      await store.apiKeys.insert(key({ id: 'key_a', digest: 'c'.repeat(64), createdAt: 1, scopes: [] }))
      const listed = await store.apiKeys.list()
      expect(listed.map((record) => record.id)).toEqual(['key_a', 'key_b'])
      expect(listed[0]?.scopes).toEqual([])
    })

    test('revoke marks once and keeps the first time', async () => {
      await store.apiKeys.insert(key())
      expect((await store.apiKeys.revoke('key_1', 10))?.revokedAt).toBe(10)
      expect((await store.apiKeys.revoke('key_1', 20))?.revokedAt).toBe(10)
      expect(await store.apiKeys.revoke('missing', 10)).toBeUndefined()
    })

    test('request log rows round-trip exactly, large micro-dollar amounts included', async () => {
      await store.requestLog.insertMany([
        logRow(),
        logRow({
          requestId: 'req_2',
          keyId: null,
          ttftMs: null,
          stream: false,
          model: null,
          provider: null,
          errorCode: 'model_not_found',
          status: 404,
        }),
      ])
      expect(await store.requestLog.get('req_1')).toEqual(logRow())
      expect((await store.requestLog.get('req_2'))?.errorCode).toBe('model_not_found')
      expect(await store.requestLog.get('missing')).toBeUndefined()
    })

    test('a request id is written once (idempotent batches)', async () => {
      await store.requestLog.insertMany([logRow()])
      await store.requestLog.insertMany([logRow({ costMicros: 1 }), logRow({ requestId: 'req_3' })])
      expect((await store.requestLog.get('req_1'))?.costMicros).toBe(logRow().costMicros)
      expect(await store.requestLog.get('req_3')).toBeDefined()
    })

    test('list filters by key, pages by time, newest first', async () => {
      const rows = Array.from({ length: 5 }, (_, index) =>
        logRow({ requestId: `req_${index}`, createdAt: 1000 + index, keyId: index % 2 === 0 ? 'key_1' : 'key_2' }),
      )
      await store.requestLog.insertMany(rows)
      expect((await store.requestLog.list({ limit: 10 })).map((row) => row.requestId)).toEqual([
        'req_4',
        'req_3',
        'req_2',
        'req_1',
        'req_0',
      ])
      expect((await store.requestLog.list({ limit: 10, keyId: 'key_2' })).map((row) => row.requestId)).toEqual(['req_3', 'req_1'])
      expect((await store.requestLog.list({ limit: 2, before: 1003 })).map((row) => row.requestId)).toEqual(['req_2', 'req_1'])
    })

    test('plan steps round-trip and list in step order under their parent', async () => {
      const step = (index: number, role: string) =>
        logRow({
          requestId: `req_plan_s${index}`,
          parentRequestId: 'req_plan',
          stepIndex: index,
          stepRole: role,
          outputExcerpt: `answer ${index} ✓`,
          costMicros: 100 * index,
        })
      await store.requestLog.insertMany([
        logRow({ requestId: 'req_plan', costMicros: 0 }),
        step(2, 'critique'),
        step(1, 'plan'),
        step(3, 'refine'),
      ])
      await store.requestLog.insertMany([logRow({ requestId: 'req_other_s1', parentRequestId: 'req_other', stepIndex: 1 })])
      const steps = await store.requestLog.listSteps('req_plan')
      expect(steps).toEqual([step(1, 'plan'), step(2, 'critique'), step(3, 'refine')])
      expect(await store.requestLog.get('req_plan')).toEqual(logRow({ requestId: 'req_plan', costMicros: 0 }))
      expect(await store.requestLog.listSteps('req_none')).toEqual([])
    })

    test('sessions round-trip by digest and revoke once', async () => {
      const record = {
        id: 'ses_1',
        userId: 'user_1',
        digest: 'd'.repeat(64),
        clientId: 'switchyard-cli',
        scope: 'manage',
        createdAt: 1_700_000_000_000,
        expiresAt: 1_702_592_000_000,
        revokedAt: null,
      }
      await store.sessions.insert(record)
      expect(await store.sessions.findByDigest(record.digest)).toEqual(record)
      expect(await store.sessions.findByDigest('e'.repeat(64))).toBeUndefined()
      expect((await store.sessions.revoke('ses_1', 1_700_000_001_000))?.revokedAt).toBe(1_700_000_001_000)
      expect((await store.sessions.revoke('ses_1', 1_700_000_002_000))?.revokedAt).toBe(1_700_000_001_000)
      expect(await store.sessions.revoke('ses_missing', 1)).toBeUndefined()
    })

    test('settings upsert', async () => {
      expect(await store.settings.get('admin_token_digest')).toBeUndefined()
      await store.settings.set('admin_token_digest', 'one')
      await store.settings.set('admin_token_digest', 'two')
      expect(await store.settings.get('admin_token_digest')).toBe('two')
    })
  })
}
