import type { Database } from 'bun:sqlite'
import type { RoutingStore } from '../routing-store.ts'

type PendingExplanation = { json: string; createdAt: number }

export type SqliteExplanationWrites = RoutingStore['explanations'] & {
  /** Writes everything pending now (at close, before the database is closed). */
  flush(): void
}

/**
 * Routing explanations for SQLite, written in batches. One explanation is written per routed
 * request; as its own autocommit INSERT that was a WAL commit per request on the event loop, about
 * a fifth of a loaded gateway's CPU (docs/benchmarks.md). Writes now wait in memory for up to
 * `intervalMs` (or until `maxBatch` are pending) and go in one transaction. `get` answers from the
 * pending ones first, so a write is readable at once, as the store contract requires. An
 * explanation is diagnostic, not money: a crash loses at most the last `intervalMs` of them, as the
 * batched request log does.
 */
export function createSqliteExplanationWrites(
  database: Database,
  options: { intervalMs?: number; maxBatch?: number } = {},
): SqliteExplanationWrites {
  const intervalMs = options.intervalMs ?? 100
  const maxBatch = options.maxBatch ?? 500
  // A second write for the same request id replaces the first, here as in the table.
  let pending = new Map<string, PendingExplanation>()
  let timer: ReturnType<typeof setTimeout> | undefined
  let failure: unknown
  // Prepared on first use: the table exists only after migrate().
  let writeBatch: ((rows: Array<[string, PendingExplanation]>) => void) | undefined

  function flush(): void {
    if (timer != null) clearTimeout(timer)
    timer = undefined
    if (pending.size === 0) return
    writeBatch ??= prepareBatchWrite(database)
    // Synchronous: no put can slip in between the write and the swap.
    writeBatch([...pending])
    pending = new Map()
  }

  function flushOnTimer(): void {
    timer = undefined
    try {
      flush()
      failure = undefined
    } catch (error) {
      // Kept for a retry; the next put reports the failure to its caller, which logs it.
      failure = error
      schedule()
    }
  }

  function schedule(): void {
    if (timer != null) return
    timer = setTimeout(flushOnTimer, intervalMs)
    // Pending explanations alone must not keep a process alive; close() flushes them.
    timer.unref?.()
  }

  return {
    async put(requestId, json, createdAt) {
      pending.set(requestId, { json, createdAt })
      if (pending.size >= maxBatch) flush()
      else schedule()
      if (failure != null) {
        const reported = failure
        failure = undefined
        throw reported
      }
    },
    async get(requestId) {
      const waiting = pending.get(requestId)
      if (waiting != null) return waiting.json
      const row = database.query('SELECT explanation FROM routing_explanations WHERE request_id = ?').get(requestId) as {
        explanation: string
      } | null
      return row?.explanation
    },
    flush,
  }
}

function prepareBatchWrite(database: Database): (rows: Array<[string, PendingExplanation]>) => void {
  const insert = database.prepare('INSERT OR REPLACE INTO routing_explanations (request_id, explanation, created_at) VALUES (?, ?, ?)')
  return database.transaction((rows: Array<[string, PendingExplanation]>) => {
    for (const [requestId, { json, createdAt }] of rows) insert.run(requestId, json, createdAt)
  })
}
