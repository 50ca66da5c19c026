import type { Database } from 'bun:sqlite'
import type { RoutingStore } from '../routing-store.ts'

type PendingExplanations = Map<string, { json: string; createdAt: number }>

/** Writes one batch of explanations in one transaction (here, or on the write worker's thread). */
export type ExplanationBatchWriter = (rows: ReadonlyArray<[requestId: string, json: string, createdAt: number]>) => Promise<void>

export type SqliteExplanationWrites = RoutingStore['explanations'] & {
  /** Writes everything pending now and waits for it (at close, before the database is closed). */
  flush(): Promise<void>
}

/**
 * Routing explanations for SQLite, written in batches. One explanation is written per routed
 * request; as its own autocommit INSERT that was a WAL commit per request on the event loop, about
 * a fifth of a loaded gateway's CPU (docs/benchmarks.md). Writes now wait in memory for up to
 * `intervalMs` (or until `maxBatch` are pending) and go in one transaction. `get` answers from the
 * pending and in-flight ones first, so a write is readable at once, as the store contract
 * requires. An explanation is diagnostic, not money: a crash loses at most the last `intervalMs`
 * of them, as the batched request log does.
 */
export function createSqliteExplanationWrites(
  database: Database,
  options: { intervalMs?: number; maxBatch?: number; writeBatch?: ExplanationBatchWriter } = {},
): SqliteExplanationWrites {
  const intervalMs = options.intervalMs ?? 100
  const maxBatch = options.maxBatch ?? 500
  // A second write for the same request id replaces the first, here as in the table.
  let pending: PendingExplanations = new Map()
  // Batches sent but not yet committed, oldest first.
  const inFlight: PendingExplanations[] = []
  const writing = new Set<Promise<void>>()
  let timer: ReturnType<typeof setTimeout> | undefined
  let failure: unknown
  // Prepared on first use: the table exists only after migrate().
  let writeHere: ExplanationBatchWriter | undefined
  const writeBatch: ExplanationBatchWriter =
    options.writeBatch ??
    ((rows) => {
      writeHere ??= prepareBatchWrite(database)
      return writeHere(rows)
    })

  function sendPending(): void {
    if (timer != null) clearTimeout(timer)
    timer = undefined
    if (pending.size === 0) return
    const batch = pending
    pending = new Map()
    inFlight.push(batch)
    const rows = [...batch].map(([requestId, { json, createdAt }]): [string, string, number] => [requestId, json, createdAt])
    const write = writeBatch(rows)
      .then(
        () => {
          failure = undefined
        },
        (error: unknown) => {
          // Kept for a retry (newer writes win); the next put reports the failure to its caller, which logs it.
          failure = error
          for (const [requestId, value] of batch) if (!pending.has(requestId)) pending.set(requestId, value)
          schedule()
        },
      )
      .finally(() => {
        inFlight.splice(inFlight.indexOf(batch), 1)
        writing.delete(write)
      })
    writing.add(write)
  }

  function schedule(): void {
    if (timer != null) return
    timer = setTimeout(sendPending, intervalMs)
    // Pending explanations alone must not keep a process alive; close() flushes them.
    timer.unref?.()
  }

  function waiting(requestId: string): string | undefined {
    const value = pending.get(requestId)
    if (value != null) return value.json
    for (let index = inFlight.length - 1; index >= 0; index--) {
      const sent = inFlight[index]?.get(requestId)
      if (sent != null) return sent.json
    }
    return undefined
  }

  return {
    async put(requestId, json, createdAt) {
      pending.set(requestId, { json, createdAt })
      if (pending.size >= maxBatch) sendPending()
      else schedule()
      if (failure != null) {
        const reported = failure
        failure = undefined
        throw reported
      }
    },
    async get(requestId) {
      const json = waiting(requestId)
      if (json != null) return json
      const row = database.query('SELECT explanation FROM routing_explanations WHERE request_id = ?').get(requestId) as {
        explanation: string
      } | null
      return row?.explanation
    },
    async flush() {
      sendPending()
      await Promise.all([...writing])
      // A batch that failed went back to pending: one more try, whose failure reaches the caller.
      if (pending.size > 0) await writeBatch([...pending].map(([requestId, { json, createdAt }]) => [requestId, json, createdAt]))
    },
  }
}

/** The in-thread writer: one prepared INSERT OR REPLACE, one transaction per batch. */
export function prepareBatchWrite(database: Database): ExplanationBatchWriter {
  const insert = database.prepare('INSERT OR REPLACE INTO routing_explanations (request_id, explanation, created_at) VALUES (?, ?, ?)')
  const insertAll = database.transaction((rows: ReadonlyArray<[string, string, number]>) => {
    for (const [requestId, json, createdAt] of rows) insert.run(requestId, json, createdAt)
  })
  return async (rows) => {
    insertAll.immediate(rows)
  }
}
