import { afterAll, describe } from 'bun:test'
import { runRoutingStoreContract } from '../routing-store-contract.ts'
import { createIsolatedPostgresStores } from './isolated-postgres-stores.ts'

const baseUrl = process.env.SWITCHYARD_TEST_POSTGRES_URL
const isolatedStores = createIsolatedPostgresStores(baseUrl ?? '')
afterAll(() => isolatedStores.close())

describe.skipIf(baseUrl == null)('PostgreSQL routing store (needs SWITCHYARD_TEST_POSTGRES_URL)', () => {
  runRoutingStoreContract('postgres', () => isolatedStores.open())
})
