import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Store } from '../../src/store/store.ts'
import { adminClient, fundedKey } from '../support/admin-client.ts'
import { type FakeProviderHandle, startFakeProvider } from '../support/fake-provider.ts'
import { startSharedModeCluster } from '../support/shared-mode-cluster.ts'
import { startTestGateway } from '../support/start-test-gateway.ts'

// The proof that money cannot be overspent: 1,000 concurrent streaming requests against a key
// whose balance covers far fewer. Every success is charged exactly its real cost, no hold ever
// lets the balance go below zero, and the ledger sums to the balance change to the micro-dollar.
//
// Prices are made large so the numbers are readable: $1,000 per million tokens is 1,000
// micro-dollars per token. The fake provider counts prompt tokens as words (1 for "hi") and
// completion tokens as words of "echo: hi" (2), so a success costs exactly 3,000 micro-dollars.
// The hold is (tokenized prompt, 8 with the chat overhead, + max_tokens 2) × 1,000 = 10,000
// micro-dollars, so holds, not charges, decide who gets in at any moment, and the balance covers
// 100 successes in all. The 1,000 requests are all in flight together but start over a few seconds, so
// holds are taken and released many times over and the balance is spent down to below one hold.

const successCostMicros = 3_000
const holdMicros = 10_000
const balanceMicros = 300_000
const requestCount = 1_000

function writeConfig(): string {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-money-'))
  const file = join(directory, 'switchyard.yaml')
  // `drip-20` makes the fake provider pause between chunks, so streams overlap.
  writeFileSync(
    file,
    'models:\n  - provider: openai\n    model: fake-drip-20\n    id: priced\n    max_output_tokens: 100\n    pricing: { input: 1000, output: 1000 }\n',
  )
  return file
}

type Outcome = { status: number; completed: boolean; code?: string; shouldRetry?: string | null }

async function streamOnce(baseUrl: string, raw: string): Promise<Outcome> {
  const response = await fetch(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${raw}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'priced', stream: true, max_tokens: 2, messages: [{ role: 'user', content: 'hi' }] }),
  })
  const text = await response.text()
  if (response.status !== 200) {
    const code = (JSON.parse(text) as { error: { code: string } }).error.code
    return { status: response.status, completed: false, code, shouldRetry: response.headers.get('x-should-retry') }
  }
  return { status: 200, completed: text.includes('data: [DONE]') && !text.includes('"error"') }
}

async function fireAll(baseUrls: string[], raw: string, spreadMs: number): Promise<Outcome[]> {
  return Promise.all(
    Array.from({ length: requestCount }, async (_, index) => {
      await Bun.sleep((index / requestCount) * spreadMs)
      return streamOnce(baseUrls[index % baseUrls.length] ?? '', raw)
    }),
  )
}

function expectMoneyConserved(
  outcomes: Outcome[],
  ledger: { balance: number; ledgerTotal: number; balancesAfter: number[]; charges: number },
) {
  const successes = outcomes.filter((outcome) => outcome.status === 200)
  const refused = outcomes.filter((outcome) => outcome.status === 402)
  console.info(`money: ${successes.length} succeeded, ${refused.length} refused with 402, balance left ${ledger.balance} µ$`)
  expect(successes.length + refused.length).toBe(requestCount)
  expect(successes.every((outcome) => outcome.completed)).toBe(true)
  expect(refused.every((outcome) => outcome.code === 'insufficient_quota' && outcome.shouldRetry === 'false')).toBe(true)
  // Never more successes than the balance covers, and the balance was really spent down: what is
  // left cannot hold one more request.
  expect(successes.length * successCostMicros).toBeLessThanOrEqual(balanceMicros)
  expect(ledger.balance).toBeLessThan(holdMicros)
  // Each success is charged exactly once; ledger and balance agree to the micro-dollar.
  expect(ledger.charges).toBe(successes.length)
  expect(ledger.ledgerTotal).toBe(ledger.balance)
  expect(balanceMicros - ledger.balance).toBe(successes.length * successCostMicros)
  // No ledger row ever saw a negative balance.
  expect(Math.min(...ledger.balancesAfter)).toBeGreaterThanOrEqual(0)
}

let fake: FakeProviderHandle | undefined
afterAll(async () => {
  await fake?.close()
})

describe('money under concurrency', () => {
  test(`SQLite, one process: ${requestCount} concurrent streams against a balance that covers 100`, async () => {
    fake ??= startFakeProvider({ recordRequests: false })
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-money-db-'))
    const gateway = await startTestGateway({
      env: { OPENAI_API_KEY: 'sk-fake', OPENAI_BASE_URL: `${fake.url}/v1` },
      configFile: writeConfig(),
      db: `sqlite:${join(directory, 'money.db')}`,
    })
    let store: Store | undefined
    try {
      const { userId, raw } = await fundedKey(gateway.admin, balanceMicros)
      const outcomes = await fireAll([gateway.url], raw, 1_500)
      await gateway.accounts.ledger.flush()
      const { createSqliteStore } = await import('../../src/store/sqlite/sqlite-store.ts')
      store = createSqliteStore(join(directory, 'money.db'))
      const account = await store.money.account(userId)
      const rows = await store.money.ledger({ userId, limit: 10_000 })
      expect(account?.reservedMicros).toBe(0)
      expectMoneyConserved(outcomes, {
        balance: account?.balanceMicros ?? -1,
        ledgerTotal: await store.money.ledgerTotal(userId),
        balancesAfter: rows.map((row) => row.balanceAfterMicros),
        charges: rows.filter((row) => row.kind === 'charge').length,
      })
      // Memory and database agree too.
      expect((await gateway.accounts.ledger.balance(userId)).balanceMicros).toBe(account?.balanceMicros ?? -1)
    } finally {
      await store?.close()
      await gateway.stop()
    }
  }, 120_000)

  const postgresUrl = process.env.SWITCHYARD_TEST_POSTGRES_URL
  const redisUrl = process.env.SWITCHYARD_TEST_REDIS_URL
  test.skipIf(postgresUrl == null || redisUrl == null)(
    `PostgreSQL + Redis, three gateway processes: ${requestCount} concurrent streams spread over them`,
    async () => {
      fake ??= startFakeProvider({ recordRequests: false })
      const { processes, adminToken, store, close } = await startSharedModeCluster({
        postgresUrl: postgresUrl ?? '',
        redisUrl: redisUrl ?? '',
        count: 3,
        configFile: writeConfig(),
        upstreamUrl: fake.url,
        extra: {
          // 1,000 requests in a burst from one key: lift the default burst limit (10/s), as the
          // in-process test gateway does; the limiter still runs.
          SWITCHYARD_RATE_LIMIT_BURST_RPS: '1000000',
          BUN_CONFIG_MAX_HTTP_REQUESTS: '16384',
        },
      })
      try {
        const { userId, raw } = await fundedKey(adminClient(processes[0]?.url ?? '', adminToken), balanceMicros)
        const outcomes = await fireAll(
          processes.map((gateway) => gateway.url),
          raw,
          // Each request makes two transactions on a shared PostgreSQL, so traffic is spread wider.
          4_000,
        )
        // Settlement is written after the last byte is sent; wait until every hold is released.
        const deadline = Date.now() + 15_000
        while ((await store.money.account(userId))?.reservedMicros !== 0 && Date.now() < deadline) await Bun.sleep(50)
        const account = await store.money.account(userId)
        expect(account?.reservedMicros).toBe(0)
        const rows = await store.money.ledger({ userId, limit: 10_000 })
        expectMoneyConserved(outcomes, {
          balance: account?.balanceMicros ?? -1,
          ledgerTotal: await store.money.ledgerTotal(userId),
          balancesAfter: rows.map((row) => row.balanceAfterMicros),
          charges: rows.filter((row) => row.kind === 'charge').length,
        })
        // Every process served some of the successes' traffic.
        expect(new Set(outcomes.map((_, index) => index % 3)).size).toBe(3)
      } finally {
        await close()
      }
    },
    180_000,
  )
})
