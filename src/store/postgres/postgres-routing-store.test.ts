import { afterAll, describe } from 'bun:test'
import { SQL } from 'bun'
import { runRoutingStoreContract } from '../routing-store-contract.ts'
import type { Store } from '../store.ts'
import { createPostgresStore } from './postgres-store.ts'

const baseUrl = process.env.SWITCHYARD_TEST_POSTGRES_URL
let admin: SQL | undefined
afterAll(async () => {
  await admin?.close()
})

/** A fresh schema per store, as in postgres-store.test.ts. */
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

describe.skipIf(baseUrl == null)('PostgreSQL routing store (needs SWITCHYARD_TEST_POSTGRES_URL)', () => {
  runRoutingStoreContract('postgres', () => createIsolatedStore(baseUrl ?? ''))
})
