import type { SQLQueryBindings } from 'bun:sqlite'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { createAccountsStoreParts } from '../accounts-store-parts.ts'
import { createDeviceAuthorizationStore } from '../device-authorization-store-parts.ts'
import {
  apiKeyColumns,
  apiKeyFromRow,
  apiKeyToParameters,
  requestLogFromRow,
  sessionColumns,
  sessionFromRow,
  sessionToParameters,
} from '../row-mapping.ts'
import type { SqlRunner } from '../sql-runner.ts'
import type { Store } from '../store.ts'
import { openSqliteDatabase } from './open-sqlite-database.ts'
import { type ExplanationBatchWriter, prepareBatchWrite } from './sqlite-explanation-writes.ts'
import { createSqliteLedgerApply } from './sqlite-ledger-apply.ts'
import { sqliteMigrations } from './sqlite-migrations.ts'
import { createSqliteRequestLogInsert } from './sqlite-request-log-insert.ts'
import { createSqliteRoutingStore } from './sqlite-routing-store.ts'
import { startSqliteWriteThread } from './sqlite-write-thread.ts'

type Row = Record<string, unknown>
type Bindings = SQLQueryBindings[]

/** SQLite through bun:sqlite: the zero-configuration store. `path` may be `:memory:`. */
export function createSqliteStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const database = openSqliteDatabase(path)
  // A file database has its batched writes done by a worker thread with its own connection; an
  // in-memory one cannot be shared, so it writes on this thread.
  const writeThread = path === ':memory:' ? undefined : startSqliteWriteThread(path)

  const all = (sql: string, parameters: Bindings = []) => database.query(sql).all(...parameters) as Row[]
  const first = (sql: string, parameters: Bindings = []) => (database.query(sql).get(...parameters) ?? undefined) as Row | undefined
  const run = (sql: string, parameters: Bindings = []) => database.query(sql).run(...parameters)

  const insertRequestLogBatch = createSqliteRequestLogInsert(database)
  let explanationsHere: ExplanationBatchWriter | undefined
  const writeExplanationsHere: ExplanationBatchWriter = (rows) => {
    explanationsHere ??= prepareBatchWrite(database)
    return explanationsHere(rows)
  }

  // Accounts queries are shared with PostgreSQL through an async runner. SQLite has one connection,
  // so transactions take turns through a promise chain; the statements themselves run synchronously.
  let transactionChain: Promise<unknown> = Promise.resolve()
  const runner: SqlRunner = {
    dialect: 'sqlite',
    all: async (sql, parameters = []) => all(sql, parameters as Bindings),
    transaction<T>(body: (inner: SqlRunner) => Promise<T>): Promise<T> {
      const result = transactionChain.then(async () => {
        database.run('BEGIN IMMEDIATE')
        try {
          const value = await body(runner)
          database.run('COMMIT')
          return value
        } catch (error) {
          database.run('ROLLBACK')
          throw error
        }
      })
      transactionChain = result.catch(() => {})
      return result
    },
  }
  const accounts = createAccountsStoreParts(runner)
  let ledgerApply: Store['money']['apply'] | undefined
  const routing = createSqliteRoutingStore(
    database,
    writeThread == null
      ? {}
      : { writeExplanations: (rows) => (writeThread.usable() ? writeThread.putExplanations(rows) : writeExplanationsHere(rows)) },
  )

  return {
    dialect: 'sqlite',
    routing,
    users: accounts.users,
    // Prepared on first use: the tables exist only after migrate().
    money: {
      ...accounts.money,
      apply(entries) {
        if (writeThread?.usable()) return entries.length === 0 ? Promise.resolve([]) : writeThread.applyLedger(entries)
        ledgerApply ??= createSqliteLedgerApply(database)
        return ledgerApply(entries)
      },
    },
    audit: accounts.audit,
    usage: accounts.usage,
    deviceAuthorizations: createDeviceAuthorizationStore(runner),

    async migrate() {
      run('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)')
      const applied = new Set(all('SELECT version FROM schema_migrations').map((row) => Number(row.version)))
      for (const migration of sqliteMigrations) {
        if (applied.has(migration.version)) continue
        database.transaction(() => {
          database.run(migration.sql)
          run('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)', [migration.version, migration.name, Date.now()])
        })()
      }
    },

    async close() {
      try {
        await routing.flushPendingWrites()
        await writeThread?.close()
      } finally {
        database.close()
      }
    },

    apiKeys: {
      async insert(record) {
        run(
          `INSERT INTO api_keys (${apiKeyColumns.join(', ')}) VALUES (${apiKeyColumns.map(() => '?').join(', ')})`,
          apiKeyToParameters(record) as Bindings,
        )
      },
      async findByDigest(digest) {
        const row = first('SELECT * FROM api_keys WHERE digest = ?', [digest])
        return row == null ? undefined : apiKeyFromRow(row)
      },
      async get(id) {
        const row = first('SELECT * FROM api_keys WHERE id = ?', [id])
        return row == null ? undefined : apiKeyFromRow(row)
      },
      async list() {
        return all('SELECT * FROM api_keys ORDER BY created_at, id').map(apiKeyFromRow)
      },
      async revoke(id, at) {
        run('UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at, id])
        const row = first('SELECT * FROM api_keys WHERE id = ?', [id])
        return row == null ? undefined : apiKeyFromRow(row)
      },
      listByUser: accounts.listByUser,
      listRevokedSince: accounts.listRevokedSince,
    },

    requestLog: {
      async insertMany(rows) {
        if (rows.length === 0) return
        if (writeThread?.usable()) await writeThread.insertRequestLog(rows)
        else insertRequestLogBatch(rows)
      },
      async get(requestId) {
        const row = first('SELECT * FROM request_log WHERE request_id = ?', [requestId])
        return row == null ? undefined : requestLogFromRow(row)
      },
      async list(query) {
        const conditions: string[] = []
        const parameters: Bindings = []
        if (query.keyId != null) {
          conditions.push('key_id = ?')
          parameters.push(query.keyId)
        }
        if (query.before != null) {
          conditions.push('created_at < ?')
          parameters.push(query.before)
        }
        if (query.userId != null) {
          conditions.push('key_id IN (SELECT id FROM api_keys WHERE user_id = ?)')
          parameters.push(query.userId)
        }
        const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''
        parameters.push(query.limit)
        return all(`SELECT * FROM request_log ${where} ORDER BY created_at DESC, request_id DESC LIMIT ?`, parameters).map(
          requestLogFromRow,
        )
      },
      async listSteps(parentRequestId) {
        return all('SELECT * FROM request_log WHERE parent_request_id = ? ORDER BY step_index, request_id', [parentRequestId]).map(
          requestLogFromRow,
        )
      },
    },

    sessions: {
      async insert(record) {
        run(
          `INSERT INTO auth_sessions (${sessionColumns.join(', ')}) VALUES (${sessionColumns.map(() => '?').join(', ')})`,
          sessionToParameters(record) as Bindings,
        )
      },
      async findByDigest(digest) {
        const row = first('SELECT * FROM auth_sessions WHERE digest = ?', [digest])
        return row == null ? undefined : sessionFromRow(row)
      },
      async revoke(id, at) {
        run('UPDATE auth_sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at, id])
        const row = first('SELECT * FROM auth_sessions WHERE id = ?', [id])
        return row == null ? undefined : sessionFromRow(row)
      },
    },

    settings: {
      async get(name) {
        const row = first('SELECT value FROM settings WHERE name = ?', [name])
        return row == null ? undefined : String(row.value)
      },
      async set(name, value) {
        run('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value', [name, value])
      },
    },
  }
}
