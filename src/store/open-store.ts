import { createPostgresStore } from './postgres/postgres-store.ts'
import { createSqliteStore } from './sqlite/sqlite-store.ts'
import type { Store } from './store.ts'

/** `sqlite:PATH`, `sqlite::memory:` or `postgres://...` / `postgresql://...`. */
export async function openStore(databaseUrl: string): Promise<Store> {
  const store = createStoreFor(databaseUrl)
  await store.migrate()
  return store
}

function createStoreFor(databaseUrl: string): Store {
  if (databaseUrl.startsWith('sqlite:')) return createSqliteStore(databaseUrl.slice('sqlite:'.length))
  if (databaseUrl.startsWith('postgres://') || databaseUrl.startsWith('postgresql://')) return createPostgresStore(databaseUrl)
  throw new Error(`Unsupported database URL "${databaseUrl.split('@').pop()}": use sqlite:PATH or postgres://...`)
}
