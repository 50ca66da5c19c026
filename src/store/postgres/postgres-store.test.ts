import { afterAll, describe } from 'bun:test'
import { SQL } from 'bun'
import type { Store } from '../store.ts'
import { runStoreContract } from '../store-contract.ts'
import { createPostgresStore } from './postgres-store.ts'

// Runs against a real server only when one is named, for example
// SWITCHYARD_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test bun test src/store
const baseUrl = process.env.SWITCHYARD_TEST_POSTGRES_URL

// Creates and drops the per-test schemas; the stores under test never see this connection.
let admin: SQL | undefined
afterAll(async () => {
  await admin?.close()
})

/**
 * Each store gets its own empty schema, so tests neither see each other's rows nor depend on
 * what is already in the database. search_path goes in the URL because Bun sends it as a
 * startup parameter of every pooled connection, not only the first one.
 */
async function createIsolatedStore(url: string): Promise<Store> {
  admin ??= new SQL(url, { max: 1 })
  const schema = `sy_test_${crypto.randomUUID().replaceAll('-', '')}`
  await admin.unsafe(`CREATE SCHEMA "${schema}"`)
  const storeUrl = new URL(url)
  storeUrl.searchParams.set('search_path', schema)
  const store = createPostgresStore(storeUrl.toString())
  await store.migrate()
  const adminClient = admin
  return {
    ...store,
    async close() {
      await store.close()
      await adminClient.unsafe(`DROP SCHEMA "${schema}" CASCADE`)
    },
  }
}

describe.skipIf(baseUrl == null)('PostgreSQL (needs SWITCHYARD_TEST_POSTGRES_URL)', () => {
  runStoreContract('postgres', () => createIsolatedStore(baseUrl ?? ''))
})
