import { runRoutingStoreContract } from '../routing-store-contract.ts'
import { createSqliteStore } from './sqlite-store.ts'

runRoutingStoreContract('sqlite', async () => {
  const store = createSqliteStore(':memory:')
  await store.migrate()
  return store
})
