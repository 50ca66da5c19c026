import { Database } from 'bun:sqlite'

/** Opens a connection with the settings every Switchyard connection to the file uses. */
export function openSqliteDatabase(path: string): Database {
  const database = new Database(path, { create: true, strict: true })
  // First, so that every statement after it waits for a lock instead of failing at once: setting
  // the journal mode takes a lock, which a process still closing the same file (a restart) may hold.
  database.run('PRAGMA busy_timeout = 5000')
  // WAL lets readers (dashboard, usage queries) proceed while the request log is written.
  database.run('PRAGMA journal_mode = WAL')
  database.run('PRAGMA synchronous = NORMAL')
  database.run('PRAGMA foreign_keys = ON')
  return database
}
