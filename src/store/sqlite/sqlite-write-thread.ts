import type { LedgerEntry, RequestLogRow } from '../store.ts'
import type { ExplanationBatch, WriteReply, WriteRequest } from './sqlite-write-messages.ts'

type WriteRequestBody = WriteRequest extends infer Request ? (Request extends WriteRequest ? Omit<Request, 'id'> : never) : never

export type SqliteWriteThread = {
  insertRequestLog(rows: readonly RequestLogRow[]): Promise<void>
  applyLedger(entries: readonly LedgerEntry[]): Promise<Array<{ applied: boolean; balanceMicros: number }>>
  putExplanations(rows: ExplanationBatch): Promise<void>
  /** False once the worker failed to start or died: the store then writes on its own thread again. */
  usable(): boolean
  /** Waits for every write sent so far, closes the worker's connection and ends the thread. */
  close(): Promise<void>
}

/**
 * The batched writes of a file database (request log, ledger, routing explanations) run on a worker thread with its own
 * connection, so their SQLite time (several µs per row, a few ms per batch) leaves the event loop.
 * Nothing else changes: callers still await each batch, so a row is only dropped from their queues
 * once it is committed, and a failed batch is kept and retried as before (docs/money.md).
 */
export function startSqliteWriteThread(path: string): SqliteWriteThread {
  // Bun's Worker has ref/unref as Node's does; the DOM typing lacks them.
  const worker = new Worker(workerEntry()) as Worker & { ref(): void; unref(): void }
  let failed = false
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
  let nextId = 1
  let closed: Promise<void> | undefined

  worker.onmessage = (event: MessageEvent<WriteReply>) => {
    const reply = event.data
    const caller = waiting.get(reply.id)
    if (caller == null) return
    waiting.delete(reply.id)
    if (waiting.size === 0) worker.unref()
    if (reply.ok) caller.resolve(reply.value)
    else caller.reject(new Error(reply.message))
  }
  // A worker that failed or ended answers nothing more: its callers get an error now (their
  // queues keep the rows and retry, writing in place), and later writes never wait on it.
  function fail(message: string): void {
    failed = true
    const error = new Error(`sqlite write worker ${message}`)
    for (const caller of waiting.values()) caller.reject(error)
    waiting.clear()
    worker.unref()
  }
  worker.onerror = (event) => fail(`failed: ${event.message}`)
  worker.addEventListener('close', () => fail('ended'))

  function send<T>(request: WriteRequestBody): Promise<T> {
    if (failed) return Promise.reject(new Error('sqlite write worker is not running'))
    const id = nextId++
    // Referenced only while a write is outstanding: an idle worker never keeps the process alive.
    if (waiting.size === 0) worker.ref()
    const reply = new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject })
    })
    worker.postMessage({ ...request, id })
    return reply
  }

  // Messages are handled in order, so every later write finds the connection open.
  send({ op: 'open', path }).catch(() => {
    failed = true
  })
  return {
    usable: () => !failed,
    insertRequestLog: (rows) => send<void>({ op: 'requestLog', rowsJson: JSON.stringify(rows) }),
    applyLedger: (entries) => send({ op: 'ledger', entriesJson: JSON.stringify(entries) }),
    putExplanations: (rows) => send<void>({ op: 'explanations', rows }),
    close() {
      closed ??= failed ? Promise.resolve(worker.terminate()) : send<void>({ op: 'close' }).finally(() => worker.terminate())
      return closed.catch(() => {})
    },
  }
}

/**
 * Where the worker's module is. In a single-file executable (`npm run build:binary`, which lists
 * the worker as a second entry point) modules live under /$bunfs/root/ by their path from src/,
 * and the bundled code's import.meta.url is the executable's, so the path is spelled out.
 */
function workerEntry(): string {
  if (import.meta.url.includes('/$bunfs/')) return './store/sqlite/sqlite-write-worker.ts'
  return new URL('./sqlite-write-worker.ts', import.meta.url).href
}
