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

export type RequestLogQuery = { limit: number; keyId?: string; before?: number }

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
  settings: {
    get(name: string): Promise<string | undefined>
    set(name: string, value: string): Promise<void>
  }
  /** Routing explanations and bandit arms (routing-store.ts). */
  routing: RoutingStore
}
