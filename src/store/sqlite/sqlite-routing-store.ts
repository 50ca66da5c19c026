import type { Database } from 'bun:sqlite'
import type { RoutingStore } from '../routing-store.ts'

export function createSqliteRoutingStore(database: Database): RoutingStore {
  const mergeBatch = database.transaction(
    (deltas: ReadonlyArray<{ arm: string; factor: number; count: number; rewardSum: number }>, at: number) => {
      const statement = database.query(
        `INSERT INTO routing_bandit_arms (arm, count, reward_sum, updated_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (arm) DO UPDATE SET count = count * ?5 + ?2, reward_sum = reward_sum * ?5 + ?3, updated_at = ?4`,
      )
      for (const delta of deltas) statement.run(delta.arm, delta.count, delta.rewardSum, at, delta.factor)
    },
  )
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
      async merge(deltas, at) {
        if (deltas.length > 0) mergeBatch(deltas, at)
      },
      async load() {
        const rows = database.query('SELECT arm, count, reward_sum FROM routing_bandit_arms').all() as Array<{
          arm: string
          count: number
          reward_sum: number
        }>
        return new Map(rows.map((row) => [row.arm, { count: row.count, rewardSum: row.reward_sum }]))
      },
    },
  }
}
