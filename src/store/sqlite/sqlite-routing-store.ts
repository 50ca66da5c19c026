import type { Database } from 'bun:sqlite'
import { mergeBanditArm } from '../merge-bandit-arm.ts'
import type { BanditArmDelta, RegistryEntryRow, RoutingStore } from '../routing-store.ts'
import { createSqliteExplanationWrites, type ExplanationBatchWriter } from './sqlite-explanation-writes.ts'

type EntryRow = { kind: string; id: string; spec: string | null; disabled: number; updated_at: number }
type ArmRow = { arm: string; count: number; reward_sum: number; updated_at: number }

export function createSqliteRoutingStore(
  database: Database,
  options: { writeExplanations?: ExplanationBatchWriter } = {},
): RoutingStore & { flushPendingWrites(): Promise<void> } {
  const explanations = createSqliteExplanationWrites(database, { writeBatch: options.writeExplanations })
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
    flushPendingWrites: explanations.flush,
    explanations,
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
    registry: {
      async list() {
        const rows = database
          .query('SELECT kind, id, spec, disabled, updated_at FROM routing_registry_entries ORDER BY kind, id')
          .all() as EntryRow[]
        return rows.map(
          (row): RegistryEntryRow => ({
            kind: row.kind === 'provider' ? 'provider' : 'model',
            id: row.id,
            spec: row.spec,
            disabled: row.disabled !== 0,
            updatedAt: row.updated_at,
          }),
        )
      },
      async put(row) {
        database
          .query('INSERT OR REPLACE INTO routing_registry_entries (kind, id, spec, disabled, updated_at) VALUES (?, ?, ?, ?, ?)')
          .run(row.kind, row.id, row.spec, row.disabled ? 1 : 0, row.updatedAt)
      },
      async version() {
        const row = database
          .query('SELECT COUNT(*) AS entries, COALESCE(MAX(updated_at), 0) AS latest FROM routing_registry_entries')
          .get() as {
          entries: number
          latest: number
        }
        return `${row.entries}:${row.latest}`
      },
    },
  }
}
