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

    test('bandit deltas merge at the later time, halving per half-life, per arm', async () => {
      expect((await store.routing.bandit.load()).size).toBe(0)
      await store.routing.bandit.merge(
        [
          { arm: 'a|small', count: 2, rewardSum: 1.5, at: 1_000 },
          { arm: 'b|small', count: 1, rewardSum: 0, at: 1_000 },
        ],
        1_000,
      )
      await store.routing.bandit.merge([{ arm: 'a|small', count: 1, rewardSum: 1, at: 2_000 }], 1_000)
      const arms = await store.routing.bandit.load()
      expect(arms.get('a|small')?.count).toBeCloseTo(2 * 0.5 + 1, 9)
      expect(arms.get('a|small')?.rewardSum).toBeCloseTo(1.5 * 0.5 + 1, 9)
      expect(arms.get('a|small')?.at).toBe(2_000)
      expect(arms.get('b|small')).toEqual({ count: 1, rewardSum: 0, at: 1_000 })
      // An older delta is brought forward to the stored time, not the other way round.
      await store.routing.bandit.merge([{ arm: 'b|small', count: 2, rewardSum: 2, at: 0 }], 1_000)
      expect((await store.routing.bandit.load()).get('b|small')).toEqual({ count: 2, rewardSum: 1, at: 1_000 })
    })

    test('concurrent merges lose no observation', async () => {
      await Promise.all(
        Array.from({ length: 20 }, () => store.routing.bandit.merge([{ arm: 'x|large', count: 1, rewardSum: 0.5, at: 5_000 }], 60_000)),
      )
      const arm = (await store.routing.bandit.load()).get('x|large')
      expect(arm?.count).toBeCloseTo(20, 9)
      expect(arm?.rewardSum).toBeCloseTo(10, 9)
    })

    test('registry entries: put replaces by (kind, id), list is ordered, version changes on every write', async () => {
      const initial = await store.routing.registry.version()
      await store.routing.registry.put({
        kind: 'model',
        id: 'local/b',
        spec: '{"provider":"local","model":"b"}',
        disabled: false,
        updatedAt: 10,
      })
      await store.routing.registry.put({
        kind: 'provider',
        id: 'local',
        spec: '{"type":"openai-compatible"}',
        disabled: false,
        updatedAt: 11,
      })
      await store.routing.registry.put({ kind: 'model', id: 'openai/gpt-4o', spec: null, disabled: true, updatedAt: 12 })
      const afterInserts = await store.routing.registry.version()
      expect(afterInserts).not.toBe(initial)
      await store.routing.registry.put({
        kind: 'model',
        id: 'local/b',
        spec: '{"provider":"local","model":"b","weight":3}',
        disabled: true,
        updatedAt: 13,
      })
      expect(await store.routing.registry.version()).not.toBe(afterInserts)
      expect(await store.routing.registry.list()).toEqual([
        { kind: 'model', id: 'local/b', spec: '{"provider":"local","model":"b","weight":3}', disabled: true, updatedAt: 13 },
        { kind: 'model', id: 'openai/gpt-4o', spec: null, disabled: true, updatedAt: 12 },
        { kind: 'provider', id: 'local', spec: '{"type":"openai-compatible"}', disabled: false, updatedAt: 11 },
      ])
    })
  })
}
