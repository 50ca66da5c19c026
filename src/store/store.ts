// The Store: everything the gateway persists, behind one interface with a SQLite and a PostgreSQL
// implementation that pass one contract suite (store-contract.ts). Times are epoch milliseconds;
// money is integer micro-dollars.

import type { RoutingStore } from './routing-store.ts'

export type Scope = 'chat' | 'plan' | 'embeddings' | 'manage'
export const allScopes: readonly Scope[] = ['chat', 'plan', 'embeddings', 'manage']

export type ApiKeyRecord = {
  id: string
  name: string
  /** The first characters of the raw key, safe to show (`sk-sy-AbCd`). */
  keyPrefix: string
  /** SHA-256 of the raw key, hex. The raw key itself is never stored. */
  digest: string
  scopes: readonly Scope[]
  createdAt: number
  revokedAt: number | null
  /** The owner. Null only for keys made before accounts existed; those are refused. */
  userId: string | null
  /** Lifetime spend ceiling (`limit_usd`), micro-dollars; null = none. */
  limitMicros: number | null
  /** Spend allowed per calendar month (UTC), micro-dollars; null = none. */
  monthlyBudgetMicros: number | null
  /** Stored here, enforced by the limits module (seam 1). */
  rateLimits: KeyRateLimits
  /** Model globs (`openai/*`); empty = every model. */
  allowedModels: readonly string[]
  expiresAt: number | null
}

/** Seam 1: null = unlimited. */
export type KeyRateLimits = {
  burstRps: number | null
  requestsPerMinute: number | null
  tokensPerMinute: number | null
  maxConcurrent: number | null
}
export const defaultRateLimits: KeyRateLimits = { burstRps: 10, requestsPerMinute: null, tokensPerMinute: null, maxConcurrent: null }

export type UserRecord = {
  id: string
  email: string
  /** argon2id PHC string; null for users who cannot sign in with a password. */
  passwordHash: string | null
  createdAt: number
}

/** What a key has spent, as the ledger says; the month is `YYYY-MM` (UTC). */
export type KeySpend = { spentMicros: number; spendMonth: string; monthSpentMicros: number; reservedMicros: number }

export type Account = { balanceMicros: number; reservedMicros: number }

/**
 * One ledger row. `id` is the request id for charges and the idempotency key for credits, so
 * each is applied at most once. `amountMicros` is signed: credits positive, charges negative.
 */
export type LedgerEntry = {
  id: string
  userId: string
  keyId: string | null
  kind: 'charge' | 'credit'
  amountMicros: number
  note: string
  actor: string
  requestId: string
  createdAt: number
  /** Reservation held in the database (shared mode) released in the same transaction. */
  releaseReservedMicros?: number
  /**
   * The hold row the release comes out of. With it, only what the row still holds is released:
   * a hold already swept (its process was taken for dead) releases nothing twice.
   */
  holdId?: string
}

export type LedgerRow = Omit<LedgerEntry, 'releaseReservedMicros' | 'holdId'> & { balanceAfterMicros: number }

/** A shared-mode reservation's row: who holds it, and until when its lease runs. */
export type HoldLease = { id: string; owner: string; expiresAt: number }

export type SweptHold = { id: string; userId: string; keyId: string; releasedMicros: number }

export type DeviceAuthorizationRecord = {
  /** SHA-256 of the device code: the code itself is never stored. */
  deviceCodeDigest: string
  /** Normalised (no dash, upper case). */
  userCode: string
  clientId: string
  clientName: string
  scope: string
  expiresAt: number
  intervalSeconds: number
  lastPolledAt: number | null
  state: 'pending' | 'approved' | 'denied' | 'used'
  userId: string | null
  failedSignIns: number
}

export type ReserveOutcome = 'reserved' | 'balance' | 'key_limit' | 'monthly_budget' | 'no_account'

export type AuditRow = {
  seq: number
  actor: string
  action: string
  target: string
  before: string | null
  after: string | null
  requestId: string
  createdAt: number
}

/** Successful (and client-aborted, charged) requests, grouped; folded into a report by the caller. */
export type UsageGroup = {
  day: string
  model: string | null
  keyId: string | null
  requests: number
  inputTokens: number
  outputTokens: number
  costMicros: number
}

export type RequestLogRow = {
  requestId: string
  keyId: string | null
  endpoint: string
  model: string | null
  provider: string | null
  status: number
  errorCode: string | null
  stream: boolean
  inputTokens: number
  outputTokens: number
  cachedInputTokens: number
  reasoningTokens: number
  costMicros: number
  latencyMs: number
  /** Time to first token for streams, null otherwise or when no token came. */
  ttftMs: number | null
  createdAt: number
  /** For a step of a multi-call request (/v1/plan): the request it belongs to. Absent otherwise. */
  parentRequestId?: string | null
  /** The step's position in its parent request, from 1. */
  stepIndex?: number | null
  /** What the step did: `plan`, `critique`, `refine`, `voter`, `judge`, `repair`... */
  stepRole?: string | null
  /** The start of the step's answer, for explaining the request later. */
  outputExcerpt?: string | null
}

/** A signed-in session from device-flow login; only the token's SHA-256 digest is stored. */
export type SessionRecord = {
  id: string
  userId: string
  digest: string
  clientId: string
  scope: string
  createdAt: number
  expiresAt: number
  revokedAt: number | null
}

export type RequestLogQuery = { limit: number; keyId?: string; before?: number /** Only keys this user owns. */; userId?: string }

export interface Store {
  readonly dialect: 'sqlite' | 'postgres'
  migrate(): Promise<void>
  close(): Promise<void>
  apiKeys: {
    insert(record: ApiKeyRecord): Promise<void>
    findByDigest(digest: string): Promise<ApiKeyRecord | undefined>
    get(id: string): Promise<ApiKeyRecord | undefined>
    list(): Promise<ApiKeyRecord[]>
    /** Marks the key revoked; returns the updated record, or undefined if no such key. Idempotent. */
    revoke(id: string, at: number): Promise<ApiKeyRecord | undefined>
    listByUser(userId: string): Promise<ApiKeyRecord[]>
    /** Keys revoked at or after `at`: the fallback when revocation messages are lost. */
    listRevokedSince(at: number): Promise<ApiKeyRecord[]>
  }
  users: {
    insert(record: UserRecord): Promise<void>
    get(id: string): Promise<UserRecord | undefined>
    findByEmail(email: string): Promise<UserRecord | undefined>
    list(): Promise<UserRecord[]>
  }
  money: {
    account(userId: string): Promise<Account | undefined>
    keySpend(keyId: string): Promise<KeySpend | undefined>
    /**
     * Applies entries in one transaction. An entry whose id is already in the ledger changes
     * nothing (applied=false). Balance, key spend and ledger move together, so they always agree.
     */
    apply(entries: readonly LedgerEntry[]): Promise<Array<{ applied: boolean; balanceMicros: number }>>
    /**
     * Shared mode: holds `amountMicros` against the balance, the key's ceiling and its monthly
     * budget with conditional UPDATEs in one transaction; says which limit refused.
     */
    reserve(input: {
      userId: string
      keyId: string
      amountMicros: number
      month: string
      limitMicros: number | null
      monthlyBudgetMicros: number | null
      /** Shared mode: the hold's row, written in the same transaction (see sweepExpiredHolds). */
      hold?: HoldLease
    }): Promise<ReserveOutcome>
    /** With `holdId`, releases at most what that hold row still holds (nothing if it was swept). */
    release(input: { userId: string; keyId: string; amountMicros: number; holdId?: string }): Promise<void>
    /** Extends the lease of every hold `owner` has; returns how many rows it renewed. */
    renewHolds(input: { owner: string; expiresAt: number }): Promise<number>
    /** Releases, in one transaction, every hold whose lease ran out before `now`: their processes are gone. */
    sweepExpiredHolds(now: number): Promise<SweptHold[]>
    ledger(query: { userId?: string; limit: number }): Promise<LedgerRow[]>
    /** Sum of every ledger amount for a user: equals the balance, always. */
    ledgerTotal(userId: string): Promise<number>
  }
  audit: {
    append(row: Omit<AuditRow, 'seq'>): Promise<void>
    list(query: { limit: number; before?: number }): Promise<AuditRow[]>
  }
  usage: {
    groups(query: { since: number; userId?: string }): Promise<UsageGroup[]>
  }
  requestLog: {
    /** Inserts a batch in one transaction. A request id already present is ignored (idempotent). */
    insertMany(rows: readonly RequestLogRow[]): Promise<void>
    get(requestId: string): Promise<RequestLogRow | undefined>
    list(query: RequestLogQuery): Promise<RequestLogRow[]>
    /** The step rows of a multi-call request, in step order. */
    listSteps(parentRequestId: string): Promise<RequestLogRow[]>
  }
  sessions: {
    insert(record: SessionRecord): Promise<void>
    findByDigest(digest: string): Promise<SessionRecord | undefined>
    /** Marks the session revoked; returns the updated record, or undefined if no such session. Idempotent. */
    revoke(id: string, at: number): Promise<SessionRecord | undefined>
  }
  /** Pending RFC 8628 device logins, shared by every replica (auth/device-flow-service.ts). */
  deviceAuthorizations: {
    /** False when the user code is taken: the caller draws another. */
    insert(record: DeviceAuthorizationRecord): Promise<boolean>
    /** Rows not yet deleted, expired or not: the cap on pending logins counts these. */
    count(): Promise<number>
    findByDeviceDigest(digest: string): Promise<DeviceAuthorizationRecord | undefined>
    findByUserCode(userCode: string): Promise<DeviceAuthorizationRecord | undefined>
    /** A pending, unexpired login becomes approved (for `userId`) or denied; false if it was not pending. */
    decide(userCode: string, decision: { state: 'approved'; userId: string } | { state: 'denied' }, now: number): Promise<boolean>
    /** Counts a wrong password against a pending code, denying it at `maxFailures`; locked when no longer pending. */
    recordFailedSignIn(userCode: string, now: number, maxFailures: number): Promise<{ locked: boolean }>
    recordPoll(digest: string, polledAt: number, intervalSeconds: number): Promise<void>
    /** Approved → used, for exactly one caller: the token is issued once however many replicas are polled. */
    markUsed(digest: string): Promise<boolean>
    deleteExpiredBefore(at: number): Promise<void>
  }
  settings: {
    get(name: string): Promise<string | undefined>
    set(name: string, value: string): Promise<void>
  }
  /** Routing explanations and bandit arms (routing-store.ts). */
  routing: RoutingStore
}
