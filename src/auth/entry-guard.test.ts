import { createEntryGuard } from './entry-guard.ts'
import { contractSettings, runEntryGuardContract } from './entry-guard-contract.ts'

runEntryGuardContract('memory', () => createEntryGuard({ now: Date.now, settings: contractSettings }))
