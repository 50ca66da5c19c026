import { describe, expect, test } from 'bun:test'
import type { CatalogModel } from '../../catalog/catalog-types.ts'
import type { RequestContext } from '../../pipeline/pipeline-types.ts'
import { createSqliteStore } from '../../store/sqlite/sqlite-store.ts'
import { type ApiKeyRecord, defaultRateLimits, type Store } from '../../store/store.ts'
import { createSpendGate } from './create-spend-gate.ts'
import { createMemorySpendLedger } from './memory-spend-ledger.ts'

const model: CatalogModel = {
  id: 'openai/priced',
  providerId: 'openai',
  upstreamModel: 'priced',
  kind: 'chat',
  contextWindow: 1_000,
  maxOutputTokens: 100,
  pricing: { inputPerMillion: 1_000_000_000, cachedInputPerMillion: 0, cacheWritePerMillion: 0, outputPerMillion: 1_000_000_000 },
  capabilities: [],
  aliases: [],
  unlisted: false,
}
const apiKey: ApiKeyRecord = {
  id: 'key_1',
  name: 'k',
  keyPrefix: 'sk-sy-x',
  digest: 'd',
  scopes: ['chat'],
  createdAt: 1,
  revokedAt: null,
  userId: 'usr_1',
  limitMicros: null,
  monthlyBudgetMicros: null,
  rateLimits: defaultRateLimits,
  allowedModels: [],
  expiresAt: null,
}
const context = (requestId: string): RequestContext => ({
  requestId,
  keyId: 'key_1',
  endpoint: '/v1/chat/completions',
  signal: new AbortController().signal,
  startedAt: 0,
  apiKey,
})
const request = { model: 'openai/priced', max_tokens: 10, messages: [{ role: 'user' as const, content: 'hi' }] }
// One token per character keeps the arithmetic visible: 3 + 4 + "hi" (2) = 9 input tokens.
const countTokens = (text: string) => text.length

async function setup(store?: Store) {
  const real = createSqliteStore(':memory:')
  await real.migrate()
  await real.users.insert({ id: 'usr_1', email: 'a@example.com', passwordHash: null, createdAt: 1 })
  await real.apiKeys.insert(apiKey)
  const ledger = createMemorySpendLedger({ store: store ?? real })
  return {
    real,
    ledger,
    gate: createSpendGate({ ledger, loadCountTokens: async () => countTokens, unpricedCeilingMicros: undefined, now: Date.now }),
  }
}

describe('spend gate', () => {
  test('holds (input + max_tokens) × price, refuses what does not fit, and frees the hold on release', async () => {
    const { ledger, gate } = await setup()
    await ledger.credit({ userId: 'usr_1', amountMicros: 40_000, note: 't', idempotencyKey: 'c1', actor: 't', requestId: 'r' })
    const first = await gate.reserveChat(request, [model], context('r1'))
    expect(await ledger.balance('usr_1')).toEqual({ balanceMicros: 40_000, reservedMicros: 19_000 })
    await gate.reserveChat(request, [model], context('r2'))
    await expect(gate.reserveChat(request, [model], context('r3'))).rejects.toMatchObject({ status: 402, param: 'balance' })
    first.release()
    first.settle(5_000, 'm') // after release: nothing happens
    expect(await ledger.balance('usr_1')).toEqual({ balanceMicros: 40_000, reservedMicros: 19_000 })
  })

  test('a charge is capped at the hold; an unpriced model is refused without a configured ceiling', async () => {
    const { ledger, gate } = await setup()
    await ledger.credit({ userId: 'usr_1', amountMicros: 100_000, note: 't', idempotencyKey: 'c1', actor: 't', requestId: 'r' })
    const hold = await gate.reserveChat(request, [model], context('r1'))
    hold.settle(1_000_000, 'm')
    expect(await ledger.balance('usr_1')).toEqual({ balanceMicros: 81_000, reservedMicros: 0 })
    // The gate may refuse at once (a throw) or later (a rejection); the pipeline awaits both alike.
    await expect(Promise.resolve().then(() => gate.reserveChat(request, [{ ...model, pricing: undefined }], context('r2')))).rejects.toMatchObject({
      status: 403,
    })
  })

  test('holds by byte count without a tokenizer; tokenizes only when that hold does not fit', async () => {
    const real = createSqliteStore(':memory:')
    await real.migrate()
    await real.users.insert({ id: 'usr_1', email: 'a@example.com', passwordHash: null, createdAt: 1 })
    await real.apiKeys.insert(apiKey)
    const ledger = createMemorySpendLedger({ store: real })
    let loads = 0
    const gate = createSpendGate({
      ledger,
      loadCountTokens: async () => {
        loads += 1
        return countTokens
      },
      unpricedCeilingMicros: undefined,
      now: Date.now,
    })
    await ledger.credit({ userId: 'usr_1', amountMicros: 22_000, note: 't', idempotencyKey: 'c1', actor: 't', requestId: 'r' })
    // 'hi' is as many bytes as characters: the byte bound is the exact hold, and fits.
    const ascii = await gate.reserveChat(request, [model], context('r1'))
    expect(loads).toBe(0)
    expect(await ledger.balance('usr_1')).toEqual({ balanceMicros: 22_000, reservedMicros: 19_000 })
    ascii.release()
    // Four two-byte characters: bounded, 3 + 4 + 8 = 15 input tokens (25,000 held) does not fit in
    // 22,000; counted, 3 + 4 + 4 = 11 (21,000) does.
    const accented = { ...request, messages: [{ role: 'user' as const, content: 'éééé' }] }
    const hold = await gate.reserveChat(accented, [model], context('r2'))
    expect(loads).toBe(1)
    expect(await ledger.balance('usr_1')).toEqual({ balanceMicros: 22_000, reservedMicros: 21_000 })
    // A hold that does not fit even counted is still a 402, and the tokenizer is loaded once.
    await expect(gate.reserveChat(accented, [model], context('r3'))).rejects.toMatchObject({ status: 402, param: 'balance' })
    expect(loads).toBe(1)
    hold.release()
  })

  test('a database that cannot be read is a 503', async () => {
    const { real } = await setup()
    const broken: Store = { ...real, money: { ...real.money, account: () => Promise.reject(new Error('connection refused')) } }
    const { gate } = await setup(broken)
    await expect(gate.reserveChat(request, [model], context('r1'))).rejects.toMatchObject({ status: 503 })
  })
})
