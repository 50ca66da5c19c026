import { SQL } from 'bun'
import type { Store } from '../store.ts'
import { createPostgresStore } from './postgres-store.ts'

export type TestSchema = {
  /** The schema's name, for statements the test itself runs in it (e.g. triggers). */
  schema: string
  /** `baseUrl` with search_path set to the schema: for a store or a gateway (`--db`, SWITCHYARD_DATABASE_URL). */
  url: string
  /** Drops the schema and everything in it (not `admin`, which the caller owns). */
  drop(): Promise<void>
}

/**
 * A new, empty schema on the server, made through `admin`. search_path goes in the URL because
 * Bun sends it as a startup parameter of every pooled connection, not only the first one.
 */
export async function createTestSchema(admin: SQL, baseUrl: string): Promise<TestSchema> {
  const schema = `sy_test_${crypto.randomUUID().replaceAll('-', '')}`
  await admin.unsafe(`CREATE SCHEMA "${schema}"`)
  const url = new URL(baseUrl)
  url.searchParams.set('search_path', schema)
  return {
    schema,
    url: url.toString(),
    async drop() {
      await admin.unsafe(`DROP SCHEMA "${schema}" CASCADE`)
    },
  }
}

export type IsolatedPostgresStores = {
  /** A migrated store in its own new, empty schema; its close() drops the schema. */
  open(): Promise<Store>
  /** Closes the connection that creates and drops the schemas (call it in afterAll). */
  close(): Promise<void>
}

/**
 * Test scaffolding shared by every PostgreSQL test: each store gets its own empty schema, so tests
 * (ours and other engineers' running at once on the same server) neither see each other's rows nor
 * depend on what is already in the database. The admin connection is opened on first use, so a
 * file whose tests are skipped never connects.
 */
export function createIsolatedPostgresStores(baseUrl: string): IsolatedPostgresStores {
  let admin: SQL | undefined
  return {
    async open() {
      admin ??= new SQL(baseUrl, { max: 1 })
      const testSchema = await createTestSchema(admin, baseUrl)
      const store = createPostgresStore(testSchema.url)
      await store.migrate()
      return {
        ...store,
        async close() {
          await store.close()
          await testSchema.drop()
        },
      }
    },
    async close() {
      await admin?.close()
    },
  }
}
