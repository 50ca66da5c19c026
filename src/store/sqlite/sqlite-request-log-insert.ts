import type { Database, SQLQueryBindings } from 'bun:sqlite'
import { requestLogColumns, requestLogToParameters } from '../row-mapping.ts'
import type { RequestLogRow } from '../store.ts'

const insertRequestLogSql = `INSERT OR IGNORE INTO request_log (${requestLogColumns.join(', ')}) VALUES (${requestLogColumns.map(() => '?').join(', ')})`

/** Inserts request-log rows in one transaction (on the gateway's connection or the write worker's). */
export function createSqliteRequestLogInsert(database: Database): (rows: readonly RequestLogRow[]) => void {
  // database.query caches the prepared statement, so preparing inside the transaction is free.
  const insertAll = database.transaction((rows: readonly RequestLogRow[]) => {
    const statement = database.query(insertRequestLogSql)
    for (const row of rows) statement.run(...(requestLogToParameters(row) as SQLQueryBindings[]))
  })
  return (rows) => insertAll.immediate(rows)
}
