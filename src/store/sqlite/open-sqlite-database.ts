import { Database } from 'bun:sqlite'

/** Opens a connection with the settings every Switchyard connection to the file uses. */
export function openSqliteDatabase(path: string): Database {
  const database = new Database(path, { create: true, strict: true })
  // WAL lets readers (dashboard, usage queries) proceed while the request log is written.
  database.run('PRAGMA journal_mode = WAL')
  database.run('PRAGMA synchronous = NORMAL')
  database.run('PRAGMA busy_timeout = 5000')
  database.run('PRAGMA foreign_keys = ON')
  return database
}
