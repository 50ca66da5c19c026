import { SQL } from 'bun'
import type { Store } from '../store.ts'
import { createPostgresStore } from './postgres-store.ts'

export type IsolatedPostgresStores = {
  /** A migrated store in its own new, empty schema; its close() drops the schema. */
  open(): Promise<Store>
  /** Closes the connection that creates and drops the schemas (call it in afterAll). */
  close(): Promise<void>
}

/**
 * Test scaffolding shared by every PostgreSQL test: each store gets its own empty schema, so tests
 * (ours and other engineers' running at once on the same server) neither see each other's rows nor
 * depend on what is already in the database. search_path goes in the URL because Bun sends it as a
 * startup parameter of every pooled connection, not only the first one. The admin connection is
 * opened on first use, so a file whose tests are skipped never connects.
 */
export function createIsolatedPostgresStores(baseUrl: string): IsolatedPostgresStores {
  let admin: SQL | undefined
  return {
    async open() {
      admin ??= new SQL(baseUrl, { max: 1 })
      const adminClient = admin
      const schema = `sy_test_${crypto.randomUUID().replaceAll('-', '')}`
      await adminClient.unsafe(`CREATE SCHEMA "${schema}"`)
      const storeUrl = new URL(baseUrl)
      storeUrl.searchParams.set('search_path', schema)
      const store = createPostgresStore(storeUrl.toString())
      await store.migrate()
      return {
        ...store,
        async close() {
          await store.close()
          await adminClient.unsafe(`DROP SCHEMA "${schema}" CASCADE`)
        },
      }
    },
    async close() {
      await admin?.close()
    },
  }
}
