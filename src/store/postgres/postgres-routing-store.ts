import type { SQL } from 'bun'
import { mergeBanditArm } from '../merge-bandit-arm.ts'
import type { RegistryEntryRow, RoutingStore } from '../routing-store.ts'

type EntryRow = { kind: string; id: string; spec: string | null; disabled: boolean; updated_at: string | number }
type ArmRow = { arm: string; count: number; reward_sum: number; updated_at: string | number }

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
      async merge(deltas, halfLifeMs) {
        if (deltas.length === 0) return
        // Sorted so that two replicas lock arms in the same order (no deadlock); the insert of a
        // missing arm first makes SELECT ... FOR UPDATE always find a row to lock.
        const ordered = [...deltas].sort((left, right) => (left.arm < right.arm ? -1 : left.arm > right.arm ? 1 : 0))
        await sql.begin(async (transaction) => {
          for (const delta of ordered) {
            await transaction.unsafe(
              'INSERT INTO routing_bandit_arms (arm, count, reward_sum, updated_at) VALUES ($1, 0, 0, $2) ON CONFLICT (arm) DO NOTHING',
              [delta.arm, Math.round(delta.at)],
            )
            const [row] = await transaction.unsafe<ArmRow[]>(
              'SELECT arm, count, reward_sum, updated_at FROM routing_bandit_arms WHERE arm = $1 FOR UPDATE',
              [delta.arm],
            )
            const stored =
              row == null ? undefined : { count: Number(row.count), rewardSum: Number(row.reward_sum), at: Number(row.updated_at) }
            const merged = mergeBanditArm(stored, delta, halfLifeMs)
            await transaction.unsafe('UPDATE routing_bandit_arms SET count = $2, reward_sum = $3, updated_at = $4 WHERE arm = $1', [
              delta.arm,
              merged.count,
              merged.rewardSum,
              Math.round(merged.at),
            ])
          }
        })
      },
      async load() {
        const rows = await sql.unsafe<ArmRow[]>('SELECT arm, count, reward_sum, updated_at FROM routing_bandit_arms')
        return new Map(
          [...rows].map((row) => [row.arm, { count: Number(row.count), rewardSum: Number(row.reward_sum), at: Number(row.updated_at) }]),
        )
      },
    },
    registry: {
      async list() {
        const rows = await sql.unsafe<EntryRow[]>(
          'SELECT kind, id, spec, disabled, updated_at FROM routing_registry_entries ORDER BY kind, id',
        )
        return [...rows].map(
          (row): RegistryEntryRow => ({
            kind: row.kind === 'provider' ? 'provider' : 'model',
            id: row.id,
            spec: row.spec,
            disabled: row.disabled,
            updatedAt: Number(row.updated_at),
          }),
        )
      },
      async put(row) {
        await sql.unsafe(
          `INSERT INTO routing_registry_entries (kind, id, spec, disabled, updated_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (kind, id) DO UPDATE SET spec = EXCLUDED.spec, disabled = EXCLUDED.disabled, updated_at = EXCLUDED.updated_at`,
          [row.kind, row.id, row.spec, row.disabled, row.updatedAt],
        )
      },
      async version() {
        const [row] = await sql.unsafe<Array<{ entries: string | number; latest: string | number }>>(
          'SELECT COUNT(*) AS entries, COALESCE(MAX(updated_at), 0) AS latest FROM routing_registry_entries',
        )
        return `${Number(row?.entries ?? 0)}:${Number(row?.latest ?? 0)}`
      },
    },
  }
}
