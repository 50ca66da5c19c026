import { afterAll, describe, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { adminClient, fundedKey } from '../support/admin-client.ts'
import { type FakeProviderHandle, startFakeProvider } from '../support/fake-provider.ts'
import { startSharedModeCluster } from '../support/shared-mode-cluster.ts'
import type { GatewayProcess } from '../support/start-gateway-process.ts'

// A gateway process that dies between reserve and settle must not leave its holds on the user's
// balance forever: another replica releases them once the dead process stops renewing its lease,
// and never while it is alive. Real processes, killed with SIGKILL, on PostgreSQL + Redis.

const postgresUrl = process.env.SWITCHYARD_TEST_POSTGRES_URL
const redisUrl = process.env.SWITCHYARD_TEST_REDIS_URL
const leaseMs = 1_000

let fake: FakeProviderHandle | undefined
afterAll(async () => {
  await fake?.close()
})

function writeConfig(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'switchyard-holds-')), 'switchyard.yaml')
  // `hang`: the fake provider never answers, so the request stays between reserve and settle.
  writeFileSync(
    file,
    'models:\n  - provider: openai\n    model: fake-hang\n    id: hanging\n    max_output_tokens: 100\n    pricing: { input: 1000, output: 1000 }\n',
  )
  return file
}

describe.skipIf(postgresUrl == null || redisUrl == null)('holds of a dead replica (PostgreSQL + Redis)', () => {
  test('are kept while their process renews them, and released by another replica once it dies', async () => {
    fake ??= startFakeProvider({ recordRequests: false })
    const { processes, adminToken, store, close } = await startSharedModeCluster({
      postgresUrl: postgresUrl ?? '',
      redisUrl: redisUrl ?? '',
      count: 2,
      configFile: writeConfig(),
      upstreamUrl: fake.url,
      extra: { SWITCHYARD_HOLD_LEASE_MS: String(leaseMs) },
    })
    try {
      const [doomed, survivor] = processes as [GatewayProcess, GatewayProcess]
      const { userId, keyId, raw } = await fundedKey(adminClient(survivor.url, adminToken), 1_000_000)
      const inFlight = fetch(`${doomed.baseUrl}/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${raw}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'hanging', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }),
      }).catch((error: unknown) => error)
      const held = await waitFor(
        async () => (await store.money.account(userId))?.reservedMicros ?? 0,
        (micros) => micros > 0,
        5_000,
      )
      expect(held).toBeGreaterThan(0)

      // Alive: the doomed process renews its lease, so two and a half leases later nothing was swept.
      await Bun.sleep(leaseMs * 2.5)
      expect((await store.money.account(userId))?.reservedMicros).toBe(held)

      process.kill(doomed.pid, 'SIGKILL')
      expect(await inFlight).toBeInstanceOf(Error)
      const released = await waitFor(
        async () => (await store.money.account(userId))?.reservedMicros ?? -1,
        (micros) => micros === 0,
        leaseMs * 5,
      )
      expect(released).toBe(0)
      expect((await store.money.keySpend(keyId))?.reservedMicros).toBe(0)
      // Nothing was charged: the balance is whole and the ledger agrees with it.
      const account = await store.money.account(userId)
      expect(account?.balanceMicros).toBe(1_000_000)
      expect(await store.money.ledgerTotal(userId)).toBe(1_000_000)
      expect(survivor.output()).toContain('released reservations left by a gateway process')
    } finally {
      await close()
    }
  }, 60_000)
})

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let value = await read()
  while (!done(value) && Date.now() < deadline) {
    await Bun.sleep(50)
    value = await read()
  }
  return value
}
