import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import type { Store } from './store.ts'

/** The routing part of the Store, run against SQLite and PostgreSQL alike. */
export function runRoutingStoreContract(name: string, createStore: () => Promise<Store>): void {
  describe(`RoutingStore contract: ${name}`, () => {
    let store: Store
    beforeEach(async () => {
      store = await createStore()
    })
    afterEach(async () => {
      await store.close()
    })

    test('an explanation is stored by request id, replaced on a second write, absent otherwise', async () => {
      expect(await store.routing.explanations.get('req_1')).toBeUndefined()
      await store.routing.explanations.put('req_1', '{"chosen":"a"}', 1_700_000_000_000)
      expect(await store.routing.explanations.get('req_1')).toBe('{"chosen":"a"}')
      await store.routing.explanations.put('req_1', '{"chosen":"b"}', 1_700_000_000_001)
      expect(JSON.parse((await store.routing.explanations.get('req_1')) ?? 'null')).toEqual({ chosen: 'b' })
    })

    test('bandit deltas merge as total·factor + delta, per arm', async () => {
      expect((await store.routing.bandit.load()).size).toBe(0)
      await store.routing.bandit.merge(
        [
          { arm: 'a|small', factor: 0.9, count: 2, rewardSum: 1.5 },
          { arm: 'b|small', factor: 1, count: 1, rewardSum: 0 },
        ],
        1,
      )
      await store.routing.bandit.merge([{ arm: 'a|small', factor: 0.5, count: 1, rewardSum: 1 }], 2)
      const arms = await store.routing.bandit.load()
      expect(arms.get('a|small')?.count).toBeCloseTo(2 * 0.5 + 1, 9)
      expect(arms.get('a|small')?.rewardSum).toBeCloseTo(1.5 * 0.5 + 1, 9)
      expect(arms.get('b|small')).toEqual({ count: 1, rewardSum: 0 })
    })

    test('concurrent merges lose no observation', async () => {
      await Promise.all(
        Array.from({ length: 20 }, (_, index) =>
          store.routing.bandit.merge([{ arm: 'x|large', factor: 1, count: 1, rewardSum: 0.5 }], index),
        ),
      )
      const arm = (await store.routing.bandit.load()).get('x|large')
      expect(arm?.count).toBeCloseTo(20, 9)
      expect(arm?.rewardSum).toBeCloseTo(10, 9)
    })
  })
}
