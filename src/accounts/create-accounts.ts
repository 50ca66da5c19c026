import type { Logger } from 'pino'
import type { Config } from '../config/config-types.ts'
import type { SpendGate } from '../pipeline/pipeline-types.ts'
import { defaultRateLimits, type KeyRateLimits, type Store } from '../store/store.ts'
import { type ApiKeyAuthenticator, createApiKeyAuthenticator } from './api-key-authenticator.ts'
import { type ApiKeyService, createApiKeyService } from './api-key-service.ts'
import { type AuditRecorder, createAuditRecorder } from './audit-recorder.ts'
import { loadTokenCounter } from './money/count-prompt-tokens.ts'
import { createSpendGate } from './money/create-spend-gate.ts'
import { createMemorySpendLedger } from './money/memory-spend-ledger.ts'
import { createSharedSpendLedger } from './money/shared-spend-ledger.ts'
import type { CreditFunction, SpendLedger } from './money/spend-ledger.ts'
import { type RevocationSync, startRevocationSync } from './revocation-sync.ts'
import { type CredentialVerifier, createUsersService, type UsersService } from './users-service.ts'

export type Accounts = {
  authenticator: ApiKeyAuthenticator
  apiKeys: ApiKeyService
  users: UsersService
  ledger: SpendLedger
  audit: AuditRecorder
  /** The pipeline's money admission (PipelineDeps.spend). */
  spendGate: SpendGate
  /** Seam 2: credits exactly once per idempotency key (limits' Stripe webhook plugs in here). */
  credit: CreditFunction
  /** Seam 4: email + password check (agent's device-flow page plugs in here). */
  verifyCredentials: CredentialVerifier
  /** Seam 1: a key's stored rate limits, from memory (limits' lookup plugs in here). */
  rateLimitsOf: (apiKey: { id: string }) => KeyRateLimits
  /** Flushes the ledger and stops revocation fan-out. */
  close(): Promise<void>
}

/**
 * Builds the accounts module. Money is kept in memory (one process, exact, no database read per
 * request) unless Redis is configured with PostgreSQL, which means several replicas: then the
 * database owns every hold and charge (docs/money.md).
 */
export async function createAccounts(options: { store: Store; config: Config; logger: Logger; now?: () => number }): Promise<Accounts> {
  const { store, config, logger } = options
  const now = options.now ?? Date.now
  const authenticator = createApiKeyAuthenticator({ store })
  const audit = createAuditRecorder({ store })
  const onLedgerError = (error: unknown) => logger.error({ err: error }, 'ledger write failed; will retry')
  const shared = config.redisUrl != null && store.dialect === 'postgres'
  const ledger = shared
    ? createSharedSpendLedger({
        store,
        onError: onLedgerError,
        holdLeaseMs: config.holdLeaseMs,
        onSwept: (holds) => logger.warn({ holds }, 'released reservations left by a gateway process that stopped renewing them'),
      })
    : createMemorySpendLedger({ store, onError: onLedgerError })
  const revocations: RevocationSync = await startRevocationSync({
    store,
    authenticator,
    redisUrl: config.redisUrl,
    channel: `${config.redisKeyPrefix}key-revocations`,
    onError: (error) => logger.warn({ err: error }, 'key revocation sync failed'),
  })
  const apiKeys = createApiKeyService({
    store,
    authenticator,
    audit,
    onRevoked: (record) => revocations.publish(record),
    defaultRateLimits: config.defaultRateLimits,
  })
  const users = createUsersService({ store, ledger, audit })
  return {
    authenticator,
    apiKeys,
    users,
    ledger,
    audit,
    spendGate: createSpendGate({
      ledger,
      loadCountTokens: loadTokenCounter,
      unpricedCeilingMicros: config.unpricedModelCeilingMicros,
      now,
    }),
    credit: (input) => ledger.credit(input),
    verifyCredentials: (email, password) => users.verifyCredentials(email, password),
    // The data plane authenticates before it rate-limits, so the key is always in the cache here.
    rateLimitsOf: (apiKey) => authenticator.cachedById(apiKey.id)?.rateLimits ?? defaultRateLimits,
    async close() {
      await revocations.stop()
      await ledger.close()
    },
  }
}
