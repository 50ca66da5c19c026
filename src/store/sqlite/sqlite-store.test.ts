import { runStoreContract } from '../store-contract.ts'
import { createSqliteStore } from './sqlite-store.ts'

runStoreContract('sqlite', async () => {
  const store = createSqliteStore(':memory:')
  await store.migrate()
  return store
})
