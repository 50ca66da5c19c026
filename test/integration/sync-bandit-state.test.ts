import { describe, expect, test } from 'bun:test'
import { startBanditSync } from '../../src/pipeline/sync-bandit-state.ts'
import { armKey, createBanditMemory } from '../../src/routing/thompson-bandit.ts'
import { createSqliteStore } from '../../src/store/sqlite/sqlite-store.ts'

describe('bandit state shared through the store', () => {
  test('two replicas see each other’s observations after a flush; a failed flush loses nothing', async () => {
    const store = createSqliteStore(':memory:')
    await store.migrate()
    const clock = { now: 1_000_000 }
    const errors: unknown[] = []
    const replicas = [createBanditMemory(), createBanditMemory()]
    const syncs = await Promise.all(
      replicas.map((memory) =>
        startBanditSync({
          memory,
          store: store.routing.bandit,
          intervalMs: 60_000,
          now: () => clock.now,
          onError: (error) => errors.push(error),
        }),
      ),
    )
    const arm = armKey('openai/gpt-4o-mini', 'small')
    for (let index = 0; index < 10; index++) replicas[0]?.record(arm, 1, clock.now)
    for (let index = 0; index < 5; index++) replicas[1]?.record(arm, 0, clock.now)
    expect(replicas[1]?.get(arm, clock.now)).toEqual({ count: 5, rewardSum: 0 })

    await syncs[0]?.flush()
    await syncs[1]?.flush()
    await syncs[0]?.flush() // replica 0 reloads after replica 1 merged
    for (const memory of replicas) {
      const stats = memory.get(arm, clock.now)
      expect(stats?.count).toBeCloseTo(15, 9)
      expect(stats?.rewardSum).toBeCloseTo(10, 9)
    }

    // A flush against a closed database fails: the drained observations go back to pending.
    replicas[0]?.record(arm, 1, clock.now)
    await store.close()
    await expect(syncs[0]?.flush() ?? Promise.resolve()).rejects.toThrow()
    expect(replicas[0]?.get(arm, clock.now)?.count).toBeCloseTo(16, 9)
    for (const sync of syncs) await sync.stop()
    expect(errors.length).toBeGreaterThan(0)
  })
})
