import { afterAll, describe, expect, test } from 'bun:test'
import { createIsolatedPostgresStores } from '../../store/postgres/isolated-postgres-stores.ts'
import { createSqliteStore } from '../../store/sqlite/sqlite-store.ts'
import { type ApiKeyRecord, defaultRateLimits, type Store } from '../../store/store.ts'
import { createMemorySpendLedger } from './memory-spend-ledger.ts'
import { createSharedSpendLedger } from './shared-spend-ledger.ts'
import type { SpendLedger } from './spend-ledger.ts'

// SpendHold.charge (a plan's steps): one hold, several ledger rows, the rest released; in memory
// (SQLite behind it) and shared (PostgreSQL, when SWITCHYARD_TEST_POSTGRES_URL names a server).

const apiKey: ApiKeyRecord = {
  id: 'key_plan',
  name: 'k',
  keyPrefix: 'sk-sy-x',
  digest: 'd',
  scopes: ['chat', 'plan'],
  createdAt: 1,
  revokedAt: null,
  userId: 'usr_plan',
  limitMicros: 90_000,
  monthlyBudgetMicros: null,
  rateLimits: defaultRateLimits,
  allowedModels: [],
  expiresAt: null,
}

const postgresUrl = process.env.SWITCHYARD_TEST_POSTGRES_URL
const isolatedPostgresStores = createIsolatedPostgresStores(postgresUrl ?? '')
afterAll(() => isolatedPostgresStores.close())

function chargeSuite(name: string, open: () => Promise<{ store: Store; ledger: SpendLedger }>) {
  test(`${name}: part charges are one row each, capped at what is held; release frees the rest`, async () => {
    const { store, ledger } = await open()
    try {
      await store.users.insert({ id: 'usr_plan', email: 'plan@example.com', passwordHash: null, createdAt: 1 })
      await store.apiKeys.insert(apiKey)
      await ledger.credit({ userId: 'usr_plan', amountMicros: 100_000, note: 't', idempotencyKey: 'c1', actor: 't', requestId: 'r' })
      const hold = await ledger.reserve({ requestId: 'plan1', apiKey, amountMicros: 60_000, now: Date.now() })
      expect(await ledger.balance('usr_plan')).toEqual({ balanceMicros: 100_000, reservedMicros: 60_000 })
      // The whole plan is held: another 50,000 does not fit the balance left (40,000).
      // (Memory mode refuses synchronously, shared mode with a rejection: both are a refusal.)
      await expect(Promise.resolve().then(() => ledger.reserve({ requestId: 'other', apiKey, amountMicros: 50_000, now: Date.now() }))).rejects.toThrow(
        /balance/,
      )
      expect(hold.charge('plan1_s1', 10_000, 'm')).toBe(10_000)
      expect(hold.charge('plan1_s2', 0, 'm')).toBe(0)
      expect(hold.charge('plan1_s3', 15_000.4, 'm')).toBe(15_000)
      // More than is still held (35,000): charged only what is held.
      expect(hold.charge('plan1_s4', 40_000, 'm')).toBe(35_000)
      hold.release()
      expect(hold.charge('plan1_s5', 1, 'm')).toBe(0)
      await ledger.flush()
      expect(await ledger.balance('usr_plan')).toEqual({ balanceMicros: 40_000, reservedMicros: 0 })
      const rows = await store.money.ledger({ limit: 100, userId: 'usr_plan' })
      const charges = rows.filter((row) => row.kind === 'charge')
      expect(charges.map((row) => [row.id, row.amountMicros]).sort()).toEqual([
        ['plan1_s1', -10_000],
        ['plan1_s3', -15_000],
        ['plan1_s4', -35_000],
      ])
      expect(rows.reduce((sum, row) => sum + row.amountMicros, 0)).toBe(40_000)

      // The key's ceiling (90,000) counts what was charged: 60,000 spent, so 30,001 does not fit,
      // and a plan whose steps charge less releases the rest at once.
      await expect(Promise.resolve().then(() => ledger.reserve({ requestId: 'plan2', apiKey, amountMicros: 30_001, now: Date.now() }))).rejects.toThrow(
        /limit_usd/,
      )
      const second = await ledger.reserve({ requestId: 'plan2', apiKey, amountMicros: 30_000, now: Date.now() })
      second.charge('plan2_s1', 1_234, 'm')
      second.release()
      await ledger.flush()
      expect(await ledger.balance('usr_plan')).toEqual({ balanceMicros: 38_766, reservedMicros: 0 })
    } finally {
      await ledger.close()
      await store.close()
    }
  })
}

describe('SpendHold.charge', () => {
  chargeSuite('memory', async () => {
    const store = createSqliteStore(':memory:')
    await store.migrate()
    return { store, ledger: createMemorySpendLedger({ store }) }
  })
  if (postgresUrl != null) {
    chargeSuite('shared (PostgreSQL)', async () => {
      const store = await isolatedPostgresStores.open()
      return { store, ledger: createSharedSpendLedger({ store }) }
    })
  }
})
