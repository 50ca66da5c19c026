import type { Database } from 'bun:sqlite'
import { mergeBanditArm } from '../merge-bandit-arm.ts'
import type { BanditArmDelta, RoutingStore } from '../routing-store.ts'

type ArmRow = { arm: string; count: number; reward_sum: number; updated_at: number }

export function createSqliteRoutingStore(database: Database): RoutingStore {
  // A read-modify-write per arm inside one transaction: SQLite runs write transactions one at a
  // time, so two replicas merging the same arm cannot interleave.
  const mergeBatch = database.transaction((deltas: readonly BanditArmDelta[], halfLifeMs: number) => {
    const read = database.query('SELECT arm, count, reward_sum, updated_at FROM routing_bandit_arms WHERE arm = ?')
    const write = database.query('INSERT OR REPLACE INTO routing_bandit_arms (arm, count, reward_sum, updated_at) VALUES (?, ?, ?, ?)')
    for (const delta of deltas) {
      const row = read.get(delta.arm) as ArmRow | null
      const stored = row == null ? undefined : { count: row.count, rewardSum: row.reward_sum, at: row.updated_at }
      const merged = mergeBanditArm(stored, delta, halfLifeMs)
      write.run(delta.arm, merged.count, merged.rewardSum, Math.round(merged.at))
    }
  })
  return {
    explanations: {
      async put(requestId, json, createdAt) {
        database
          .query('INSERT OR REPLACE INTO routing_explanations (request_id, explanation, created_at) VALUES (?, ?, ?)')
          .run(requestId, json, createdAt)
      },
      async get(requestId) {
        const row = database.query('SELECT explanation FROM routing_explanations WHERE request_id = ?').get(requestId) as {
          explanation: string
        } | null
        return row?.explanation
      },
    },
    bandit: {
      async merge(deltas, halfLifeMs) {
        // IMMEDIATE takes the write lock before the reads, so another process cannot slip in between.
        if (deltas.length > 0) mergeBatch.immediate(deltas, halfLifeMs)
      },
      async load() {
        const rows = database.query('SELECT arm, count, reward_sum, updated_at FROM routing_bandit_arms').all() as ArmRow[]
        return new Map(rows.map((row) => [row.arm, { count: row.count, rewardSum: row.reward_sum, at: row.updated_at }]))
      },
    },
  }
}
