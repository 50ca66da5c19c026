import { describe, expect, test } from 'bun:test'
import { createBatchedRequestLog } from './batched-request-log.ts'
import { createSqliteStore } from './sqlite/sqlite-store.ts'
import type { RequestLogRow, Store } from './store.ts'

const row = (requestId: string): RequestLogRow => ({
  requestId,
  keyId: null,
  endpoint: '/v1/chat/completions',
  model: 'm',
  provider: 'p',
  status: 200,
  errorCode: null,
  stream: false,
  inputTokens: 1,
  outputTokens: 2,
  cachedInputTokens: 0,
  reasoningTokens: 0,
  costMicros: 3,
  latencyMs: 4,
  ttftMs: null,
  createdAt: 5,
})

async function memoryStore(): Promise<Store> {
  const store = createSqliteStore(':memory:')
  await store.migrate()
  return store
}

describe('batched request log', () => {
  test('rows are written in batches, and all of them by close()', async () => {
    const store = await memoryStore()
    const batches: number[] = []
    const counting: Store = {
      ...store,
      requestLog: {
        ...store.requestLog,
        insertMany: (rows) => {
          batches.push(rows.length)
          return store.requestLog.insertMany(rows)
        },
      },
    }
    const log = createBatchedRequestLog({ store: counting, intervalMs: 10_000, maxBatch: 100 })
    for (let index = 0; index < 250; index++) log.record(row(`req_${index}`))
    await log.close()
    expect(batches.reduce((sum, size) => sum + size, 0)).toBe(250)
    expect(Math.max(...batches)).toBeLessThanOrEqual(100)
    expect((await store.requestLog.list({ limit: 1000 })).length).toBe(250)
  })

  test('a failed batch is kept and written on the next flush: no row is lost', async () => {
    const store = await memoryStore()
    let failuresLeft = 1
    const errors: unknown[] = []
    const flaky: Store = {
      ...store,
      requestLog: {
        ...store.requestLog,
        insertMany: (rows) => (failuresLeft-- > 0 ? Promise.reject(new Error('database is locked')) : store.requestLog.insertMany(rows)),
      },
    }
    const log = createBatchedRequestLog({ store: flaky, intervalMs: 10_000, onError: (error) => errors.push(error) })
    log.record(row('req_a'))
    await log.flush()
    expect(errors).toHaveLength(1)
    log.record(row('req_b'))
    await log.close()
    expect((await store.requestLog.list({ limit: 10 })).map((entry) => entry.requestId).sort()).toEqual(['req_a', 'req_b'])
  })

  test('the timer flushes without being asked', async () => {
    const store = await memoryStore()
    const log = createBatchedRequestLog({ store, intervalMs: 5 })
    log.record(row('req_timer'))
    await Bun.sleep(50)
    expect(await store.requestLog.get('req_timer')).toBeDefined()
    await log.close()
  })
})
