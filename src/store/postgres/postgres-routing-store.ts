import type { SQL } from 'bun'
import type { RoutingStore } from '../routing-store.ts'

export function createPostgresRoutingStore(sql: SQL): RoutingStore {
  return {
    explanations: {
      async put(requestId, json, createdAt) {
        await sql.unsafe(
          `INSERT INTO routing_explanations (request_id, explanation, created_at) VALUES ($1, $2, $3)
           ON CONFLICT (request_id) DO UPDATE SET explanation = EXCLUDED.explanation, created_at = EXCLUDED.created_at`,
          [requestId, json, createdAt],
        )
      },
      async get(requestId) {
        const rows = await sql.unsafe<Array<{ explanation: string }>>(
          'SELECT explanation FROM routing_explanations WHERE request_id = $1',
          [requestId],
        )
        return rows[0]?.explanation
      },
    },
    bandit: {
      async merge(deltas, at) {
        if (deltas.length === 0) return
        // One statement per arm inside a transaction; the row lock of ON CONFLICT makes concurrent
        // replicas' merges serialise per arm, so no observation is lost.
        await sql.begin(async (transaction) => {
          for (const delta of deltas) {
            await transaction.unsafe(
              `INSERT INTO routing_bandit_arms (arm, count, reward_sum, updated_at) VALUES ($1, $2, $3, $4)
               ON CONFLICT (arm) DO UPDATE SET count = routing_bandit_arms.count * $5 + $2,
                 reward_sum = routing_bandit_arms.reward_sum * $5 + $3, updated_at = $4`,
              [delta.arm, delta.count, delta.rewardSum, at, delta.factor],
            )
          }
        })
      },
      async load() {
        const rows = await sql.unsafe<Array<{ arm: string; count: number; reward_sum: number }>>(
          'SELECT arm, count, reward_sum FROM routing_bandit_arms',
        )
        return new Map([...rows].map((row) => [row.arm, { count: Number(row.count), rewardSum: Number(row.reward_sum) }]))
      },
    },
  }
}
