// The SQLite write worker's thread: its own connection to the gateway's database file, doing the
// batched writes of a loaded gateway (request log, ledger, routing explanations) so that their SQLite time is spent off
// the event loop. Started by sqlite-write-thread.ts; one message in, one reply out, in order.
import type { Database } from 'bun:sqlite'
import type { LedgerEntry, RequestLogRow } from '../store.ts'
import { openSqliteDatabase } from './open-sqlite-database.ts'
import { type ExplanationBatchWriter, prepareBatchWrite } from './sqlite-explanation-writes.ts'
import { createSqliteLedgerApply } from './sqlite-ledger-apply.ts'
import { createSqliteRequestLogInsert } from './sqlite-request-log-insert.ts'
import type { LedgerBatch, RequestLogBatch, WriteReply, WriteRequest } from './sqlite-write-messages.ts'

declare const self: Worker

let database: Database | undefined
let insertRequestLog: ((rows: readonly RequestLogRow[]) => void) | undefined
let putExplanations: ExplanationBatchWriter | undefined
let applyLedger: ((entries: readonly LedgerEntry[]) => Promise<Array<{ applied: boolean; balanceMicros: number }>>) | undefined

async function handle(request: WriteRequest): Promise<unknown> {
  if (request.op === 'open') {
    database = openSqliteDatabase(request.path)
    // This connection makes nearly every commit, so it runs the WAL checkpoints: every 10,000 pages
    // (about 40 MB of WAL) instead of SQLite's 1,000, the request log's and ledger's append-only
    // pages are copied into the database file about once rather than again at every checkpoint.
    database.run('PRAGMA wal_autocheckpoint = 10000')
    return null
  }
  if (database == null) throw new Error('sqlite write worker: not open')
  if (request.op === 'requestLog') {
    insertRequestLog ??= createSqliteRequestLogInsert(database)
    const rows = JSON.parse(request.rowsJson) as RequestLogBatch
    if (rows.length > 0) insertRequestLog(rows)
    return null
  }
  if (request.op === 'explanations') {
    putExplanations ??= prepareBatchWrite(database)
    await putExplanations(request.rows)
    return null
  }
  if (request.op === 'ledger') {
    applyLedger ??= createSqliteLedgerApply(database)
    return applyLedger(JSON.parse(request.entriesJson) as LedgerBatch)
  }
  database.close()
  database = undefined
  return null
}

self.onmessage = async (event: MessageEvent<WriteRequest>) => {
  const request = event.data
  let reply: WriteReply
  try {
    reply = { id: request.id, ok: true, value: await handle(request) }
  } catch (error) {
    reply = { id: request.id, ok: false, message: error instanceof Error ? error.message : String(error) }
  }
  self.postMessage(reply)
}
