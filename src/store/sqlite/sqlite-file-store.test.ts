import { afterAll } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runRoutingStoreContract } from '../routing-store-contract.ts'
import { runStoreContract } from '../store-contract.ts'
import { createSqliteStore } from './sqlite-store.ts'

// A file database writes its batches (request log, ledger, explanations) on the write worker's
// thread and connection; the same contracts hold as for the in-memory store, which writes in place.
const directory = mkdtempSync(join(tmpdir(), 'switchyard-file-store-'))
let databases = 0
afterAll(() => rmSync(directory, { recursive: true, force: true }))

async function freshFileStore() {
  databases += 1
  const store = createSqliteStore(join(directory, `store-${databases}.db`))
  await store.migrate()
  return store
}

runStoreContract('sqlite file (write worker)', freshFileStore)
runRoutingStoreContract('sqlite file (write worker)', freshFileStore)
