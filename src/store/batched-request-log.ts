import { writeInBatches } from '../util/write-in-batches.ts'
import type { RequestLogRow, Store } from './store.ts'

export type RequestLogWriter = {
  /** Queues a row; never blocks the request. */
  record(row: RequestLogRow): void
  /** Writes everything queued so far. */
  flush(): Promise<void>
  /** Flushes and stops the timer. */
  close(): Promise<void>
}

/**
 * The request log is written off the hot path: rows are queued and inserted in one transaction
 * per batch, every `intervalMs` or as soon as `maxBatch` rows are waiting. A failed batch is kept
 * and retried on the next flush, so a database blip loses no row.
 */
export function createBatchedRequestLog(options: {
  store: Store
  intervalMs?: number
  maxBatch?: number
  onError?: (error: unknown) => void
}): RequestLogWriter {
  const intervalMs = options.intervalMs ?? 200
  const maxBatch = options.maxBatch ?? 2_000
  let queue: RequestLogRow[] = []
  let inFlight: Promise<void> | undefined
  let timer: ReturnType<typeof setTimeout> | undefined

  function schedule() {
    if (timer == null) timer = setTimeout(() => void flush(), intervalMs)
  }

  async function writeQueued(): Promise<void> {
    while (queue.length > 0) {
      const rows = queue
      queue = []
      const { unwritten, error } = await writeInBatches(rows, maxBatch, (batch) => options.store.requestLog.insertMany(batch))
      if (unwritten.length > 0) {
        queue = unwritten.concat(queue)
        options.onError?.(error)
        schedule()
        return
      }
    }
  }

  async function flush(): Promise<void> {
    if (timer != null) {
      clearTimeout(timer)
      timer = undefined
    }
    // One writer at a time keeps batches in order; later callers wait for the current write.
    while (inFlight != null) await inFlight
    if (queue.length === 0) return
    inFlight = writeQueued().finally(() => {
      inFlight = undefined
    })
    await inFlight
  }

  return {
    record(row) {
      queue.push(row)
      if (queue.length >= maxBatch) void flush()
      else schedule()
    },
    flush,
    async close() {
      await flush()
      if (timer != null) clearTimeout(timer)
      timer = undefined
    },
  }
}
