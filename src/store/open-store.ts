import { StartupError } from '../errors/startup-error.ts'
import { redactUrl } from '../util/redact-url.ts'
import { createPostgresStore } from './postgres/postgres-store.ts'
import { createSqliteStore } from './sqlite/sqlite-store.ts'
import type { Store } from './store.ts'

/**
 * `sqlite:PATH`, `sqlite::memory:` or `postgres://...` / `postgresql://...`. A database that
 * cannot be opened or migrated (unreachable server, bad credentials, unwritable file) is a
 * StartupError naming the URL without its password.
 */
export async function openStore(databaseUrl: string): Promise<Store> {
  let store: Store | undefined
  try {
    store = createStoreFor(databaseUrl)
    await store.migrate()
    return store
  } catch (error) {
    await store?.close().catch(() => {})
    throw new StartupError(`Could not open the database at ${redactUrl(databaseUrl)}: ${(error as Error).message}`, { cause: error })
  }
}

function createStoreFor(databaseUrl: string): Store {
  if (databaseUrl.startsWith('sqlite:')) return createSqliteStore(databaseUrl.slice('sqlite:'.length))
  if (databaseUrl.startsWith('postgres://') || databaseUrl.startsWith('postgresql://')) return createPostgresStore(databaseUrl)
  throw new Error('unsupported URL: use sqlite:PATH or postgres://...')
}
