import {
  type ApiKeyRecord,
  type AuditRow,
  defaultRateLimits,
  type KeyRateLimits,
  type LedgerRow,
  type RequestLogRow,
  type Scope,
  type SessionRecord,
  type UserRecord,
} from './store.ts'

// Both SQL dialects share column names, so one mapping serves both. Drivers return BIGINT as
// strings or bigints; Number() is exact for the magnitudes we store (< 2^53).

type Row = Record<string, unknown>

export function apiKeyFromRow(row: Row): ApiKeyRecord {
  return {
    id: String(row.id),
    name: String(row.name),
    keyPrefix: String(row.key_prefix),
    digest: String(row.digest),
    scopes: String(row.scopes)
      .split(',')
      .filter((scope) => scope !== '') as Scope[],
    createdAt: Number(row.created_at),
    revokedAt: row.revoked_at == null ? null : Number(row.revoked_at),
    userId: row.user_id == null ? null : String(row.user_id),
    limitMicros: row.limit_micros == null ? null : Number(row.limit_micros),
    monthlyBudgetMicros: row.monthly_budget_micros == null ? null : Number(row.monthly_budget_micros),
    rateLimits: parseRateLimits(row.rate_limits),
    allowedModels: row.allowed_models == null || row.allowed_models === '' ? [] : (JSON.parse(String(row.allowed_models)) as string[]),
    expiresAt: row.expires_at == null ? null : Number(row.expires_at),
  }
}

function parseRateLimits(value: unknown): KeyRateLimits {
  if (value == null || value === '') return defaultRateLimits
  return { ...defaultRateLimits, ...(JSON.parse(String(value)) as Partial<KeyRateLimits>) }
}

export const apiKeyColumns = [
  'id',
  'name',
  'key_prefix',
  'digest',
  'scopes',
  'created_at',
  'revoked_at',
  'user_id',
  'limit_micros',
  'monthly_budget_micros',
  'rate_limits',
  'allowed_models',
  'expires_at',
] as const

export function apiKeyToParameters(record: ApiKeyRecord): unknown[] {
  return [
    record.id,
    record.name,
    record.keyPrefix,
    record.digest,
    record.scopes.join(','),
    record.createdAt,
    record.revokedAt,
    record.userId,
    record.limitMicros,
    record.monthlyBudgetMicros,
    JSON.stringify(record.rateLimits),
    JSON.stringify(record.allowedModels),
    record.expiresAt,
  ]
}

export function userFromRow(row: Row): UserRecord {
  return {
    id: String(row.id),
    email: String(row.email),
    passwordHash: row.password_hash == null ? null : String(row.password_hash),
    createdAt: Number(row.created_at),
  }
}

export function ledgerFromRow(row: Row): LedgerRow {
  return {
    id: String(row.id),
    userId: String(row.user_id),
    keyId: row.key_id == null ? null : String(row.key_id),
    kind: String(row.kind) as LedgerRow['kind'],
    amountMicros: Number(row.amount_micros),
    balanceAfterMicros: Number(row.balance_after_micros),
    note: String(row.note),
    actor: String(row.actor),
    requestId: String(row.request_id),
    createdAt: Number(row.created_at),
  }
}

export function auditFromRow(row: Row): AuditRow {
  return {
    seq: Number(row.seq),
    actor: String(row.actor),
    action: String(row.action),
    target: String(row.target),
    before: row.before_json == null ? null : String(row.before_json),
    after: row.after_json == null ? null : String(row.after_json),
    requestId: String(row.request_id),
    createdAt: Number(row.created_at),
  }
}

/** `YYYY-MM` of an epoch-millisecond time, UTC: the monthly budget's period. */
export function spendMonthOf(at: number): string {
  // Called three times per charged request (hold, settle, ledger row) with times in the same
  // month: the last month's bounds are kept, so only a time outside them builds a Date.
  if (at >= lastMonth.start && at < lastMonth.end) return lastMonth.name
  const date = new Date(at)
  const name = date.toISOString().slice(0, 7)
  lastMonth = {
    start: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1),
    end: Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1),
    name,
  }
  return name
}

let lastMonth = { start: 0, end: 0, name: '' }

export const requestLogColumns = [
  'request_id',
  'key_id',
  'endpoint',
  'model',
  'provider',
  'status',
  'error_code',
  'stream',
  'input_tokens',
  'output_tokens',
  'cached_input_tokens',
  'reasoning_tokens',
  'cost_micros',
  'latency_ms',
  'ttft_ms',
  'created_at',
  'parent_request_id',
  'step_index',
  'step_role',
  'output_excerpt',
] as const

export function requestLogToParameters(row: RequestLogRow): unknown[] {
  return [
    row.requestId,
    row.keyId,
    row.endpoint,
    row.model,
    row.provider,
    row.status,
    row.errorCode,
    row.stream ? 1 : 0,
    row.inputTokens,
    row.outputTokens,
    row.cachedInputTokens,
    row.reasoningTokens,
    row.costMicros,
    row.latencyMs,
    row.ttftMs,
    row.createdAt,
    row.parentRequestId ?? null,
    row.stepIndex ?? null,
    row.stepRole ?? null,
    row.outputExcerpt ?? null,
  ]
}

export function requestLogFromRow(row: Row): RequestLogRow {
  return {
    requestId: String(row.request_id),
    keyId: row.key_id == null ? null : String(row.key_id),
    endpoint: String(row.endpoint),
    model: row.model == null ? null : String(row.model),
    provider: row.provider == null ? null : String(row.provider),
    status: Number(row.status),
    errorCode: row.error_code == null ? null : String(row.error_code),
    stream: Number(row.stream) === 1 || row.stream === true,
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    cachedInputTokens: Number(row.cached_input_tokens),
    reasoningTokens: Number(row.reasoning_tokens),
    costMicros: Number(row.cost_micros),
    latencyMs: Number(row.latency_ms),
    ttftMs: row.ttft_ms == null ? null : Number(row.ttft_ms),
    createdAt: Number(row.created_at),
    // Step fields appear only on step rows, so a plain request's row reads back exactly as written.
    ...(row.parent_request_id == null ? {} : { parentRequestId: String(row.parent_request_id) }),
    ...(row.step_index == null ? {} : { stepIndex: Number(row.step_index) }),
    ...(row.step_role == null ? {} : { stepRole: String(row.step_role) }),
    ...(row.output_excerpt == null ? {} : { outputExcerpt: String(row.output_excerpt) }),
  }
}

export const sessionColumns = ['id', 'user_id', 'digest', 'client_id', 'scope', 'created_at', 'expires_at', 'revoked_at'] as const

export function sessionFromRow(row: Row): SessionRecord {
  return {
    id: String(row.id),
    userId: String(row.user_id),
    digest: String(row.digest),
    clientId: String(row.client_id),
    scope: String(row.scope),
    createdAt: Number(row.created_at),
    expiresAt: Number(row.expires_at),
    revokedAt: row.revoked_at == null ? null : Number(row.revoked_at),
  }
}

export function sessionToParameters(record: SessionRecord): unknown[] {
  return [record.id, record.userId, record.digest, record.clientId, record.scope, record.createdAt, record.expiresAt, record.revokedAt]
}
