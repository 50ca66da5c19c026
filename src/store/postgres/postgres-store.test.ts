import { afterAll, describe } from 'bun:test'
import { runStoreContract } from '../store-contract.ts'
import { createIsolatedPostgresStores } from './isolated-postgres-stores.ts'

// Runs against a real server only when one is named, for example
// SWITCHYARD_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:5432/test bun test src/store
const baseUrl = process.env.SWITCHYARD_TEST_POSTGRES_URL

// One new schema per store (see isolated-postgres-stores.ts).
const isolatedStores = createIsolatedPostgresStores(baseUrl ?? '')
afterAll(() => isolatedStores.close())

describe.skipIf(baseUrl == null)('PostgreSQL (needs SWITCHYARD_TEST_POSTGRES_URL)', () => {
  runStoreContract('postgres', () => isolatedStores.open())
})
