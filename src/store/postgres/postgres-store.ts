import { SQL } from 'bun'
import { createAccountsStoreParts } from '../accounts-store-parts.ts'
import { createDeviceAuthorizationStore } from '../device-authorization-store-parts.ts'
import {
  apiKeyColumns,
  apiKeyFromRow,
  apiKeyToParameters,
  requestLogColumns,
  requestLogFromRow,
  requestLogToParameters,
  sessionColumns,
  sessionFromRow,
  sessionToParameters,
} from '../row-mapping.ts'
import { numberPlaceholders, type SqlRunner } from '../sql-runner.ts'
import type { RequestLogRow, Store } from '../store.ts'
import { postgresMigrations } from './postgres-migrations.ts'
import { createPostgresRoutingStore } from './postgres-routing-store.ts'

type Row = Record<string, unknown>
type Client = Pick<SQL, 'unsafe'>

// Advisory locks are per database, not per schema; a fixed key works as long as nothing else in
// the database uses it. This one spells "SWYD" in ASCII.
const migrationLockKey = 0x53_57_59_44

// The wire protocol caps a statement at 65,535 parameters; bigger batches are split into several
// statements inside one transaction.
const maxRowsPerStatement = Math.floor(65_535 / requestLogColumns.length)
const streamIndex = requestLogColumns.indexOf('stream')

/**
 * PostgreSQL through Bun's built-in SQL client. The search_path and pool size can be set in the URL
 * (`?search_path=switchyard&max=20`): Bun sends unknown URL keys as connection startup parameters.
 */
export function createPostgresStore(url: string): Store {
  const sql = new SQL(url)

  const all = async (client: Client, text: string, parameters: unknown[] = []): Promise<Row[]> => [
    ...(await client.unsafe<Row[]>(text, parameters)),
  ]
  const first = async (text: string, parameters: unknown[]): Promise<Row | undefined> => (await all(sql, text, parameters))[0]

  async function insertRequestLogRows(client: Client, rows: readonly RequestLogRow[]): Promise<void> {
    const parameters: unknown[] = []
    const tuples = rows.map((row) => {
      const rowParameters = requestLogToParameters(row)
      // row-mapping encodes stream as 0/1 for SQLite; Bun sends a number as int4, which a BOOLEAN
      // column refuses.
      rowParameters[streamIndex] = row.stream
      const placeholders = rowParameters.map((_, index) => `$${parameters.length + index + 1}`)
      parameters.push(...rowParameters)
      return `(${placeholders.join(', ')})`
    })
    await all(
      client,
      `INSERT INTO request_log (${requestLogColumns.join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT (request_id) DO NOTHING`,
      parameters,
    )
  }

  const runnerOver = (client: Client): SqlRunner => ({
    dialect: 'postgres',
    all: (text, parameters = []) => all(client, numberPlaceholders(text), [...parameters]),
    transaction: (body) => sql.begin('isolation level read committed', (transaction) => body(runnerOver(transaction))) as never,
  })
  const accounts = createAccountsStoreParts(runnerOver(sql))

  return {
    dialect: 'postgres',
    routing: createPostgresRoutingStore(sql),
    users: accounts.users,
    money: accounts.money,
    audit: accounts.audit,
    usage: accounts.usage,
    deviceAuthorizations: createDeviceAuthorizationStore(runnerOver(sql)),

    async migrate() {
      // Several replicas may start at once. The transaction-scoped advisory lock makes them take
      // turns; the lock is released by COMMIT or ROLLBACK, so a crashed replica cannot leave it held.
      // READ COMMITTED is explicit so that the version check, which runs after the lock is granted,
      // sees what the previous holder committed even if the server defaults to REPEATABLE READ.
      await sql.begin('isolation level read committed', async (transaction) => {
        await transaction.unsafe('SELECT pg_advisory_xact_lock($1)', [migrationLockKey])
        await transaction.unsafe(
          'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)',
        )
        const appliedRows = await all(transaction, 'SELECT version FROM schema_migrations', [])
        const applied = new Set(appliedRows.map((row) => Number(row.version)))
        for (const migration of postgresMigrations) {
          if (applied.has(migration.version)) continue
          // Without parameters Bun uses the simple protocol, which allows several statements.
          await transaction.unsafe(migration.sql)
          await transaction.unsafe('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
            migration.version,
            migration.name,
            Date.now(),
          ])
        }
      })
    },

    async close() {
      await sql.close()
    },

    apiKeys: {
      async insert(record) {
        await all(
          sql,
          `INSERT INTO api_keys (${apiKeyColumns.join(', ')}) VALUES (${apiKeyColumns.map((_, index) => `$${index + 1}`).join(', ')})`,
          apiKeyToParameters(record),
        )
      },
      async findByDigest(digest) {
        const row = await first('SELECT * FROM api_keys WHERE digest = $1', [digest])
        return row == null ? undefined : apiKeyFromRow(row)
      },
      async get(id) {
        const row = await first('SELECT * FROM api_keys WHERE id = $1', [id])
        return row == null ? undefined : apiKeyFromRow(row)
      },
      async list() {
        return (await all(sql, 'SELECT * FROM api_keys ORDER BY created_at, id')).map(apiKeyFromRow)
      },
      async revoke(id, at) {
        // COALESCE keeps the first revocation time, so repeating the call changes nothing; RETURNING
        // gives the row back in the same round trip.
        const row = await first('UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $1) WHERE id = $2 RETURNING *', [at, id])
        return row == null ? undefined : apiKeyFromRow(row)
      },
      listByUser: accounts.listByUser,
      listRevokedSince: accounts.listRevokedSince,
    },

    requestLog: {
      async insertMany(rows) {
        if (rows.length === 0) return
        // The usual batch is one multi-row statement: one round trip, atomic on its own.
        if (rows.length <= maxRowsPerStatement) return insertRequestLogRows(sql, rows)
        await sql.begin(async (transaction) => {
          for (let start = 0; start < rows.length; start += maxRowsPerStatement) {
            await insertRequestLogRows(transaction, rows.slice(start, start + maxRowsPerStatement))
          }
        })
      },
      async get(requestId) {
        const row = await first('SELECT * FROM request_log WHERE request_id = $1', [requestId])
        return row == null ? undefined : requestLogFromRow(row)
      },
      async list(query) {
        const conditions: string[] = []
        const parameters: unknown[] = []
        if (query.keyId != null) {
          parameters.push(query.keyId)
          conditions.push(`key_id = $${parameters.length}`)
        }
        if (query.before != null) {
          parameters.push(query.before)
          conditions.push(`created_at < $${parameters.length}`)
        }
        if (query.userId != null) {
          parameters.push(query.userId)
          conditions.push(`key_id IN (SELECT id FROM api_keys WHERE user_id = $${parameters.length})`)
        }
        const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''
        parameters.push(query.limit)
        const text = `SELECT * FROM request_log ${where} ORDER BY created_at DESC, request_id DESC LIMIT $${parameters.length}`
        return (await all(sql, text, parameters)).map(requestLogFromRow)
      },
      async listSteps(parentRequestId) {
        const text = 'SELECT * FROM request_log WHERE parent_request_id = $1 ORDER BY step_index, request_id'
        return (await all(sql, text, [parentRequestId])).map(requestLogFromRow)
      },
    },

    sessions: {
      async insert(record) {
        await all(
          sql,
          `INSERT INTO auth_sessions (${sessionColumns.join(', ')}) VALUES (${sessionColumns.map((_, index) => `$${index + 1}`).join(', ')})`,
          sessionToParameters(record),
        )
      },
      async findByDigest(digest) {
        const row = await first('SELECT * FROM auth_sessions WHERE digest = $1', [digest])
        return row == null ? undefined : sessionFromRow(row)
      },
      async revoke(id, at) {
        await all(sql, 'UPDATE auth_sessions SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL', [at, id])
        const row = await first('SELECT * FROM auth_sessions WHERE id = $1', [id])
        return row == null ? undefined : sessionFromRow(row)
      },
    },

    settings: {
      async get(name) {
        const row = await first('SELECT value FROM settings WHERE name = $1', [name])
        return row == null ? undefined : String(row.value)
      },
      async set(name, value) {
        await all(sql, 'INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value', [
          name,
          value,
        ])
      },
    },
  }
}
