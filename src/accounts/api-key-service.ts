import { GatewayError } from '../errors/gateway-error.ts'
import { type ApiKeyRecord, defaultRateLimits, type KeyRateLimits, type Scope, type Store } from '../store/store.ts'
import type { ApiKeyAuthenticator } from './api-key-authenticator.ts'
import { generateApiKeySecret, newId } from './api-key-secret.ts'
import type { AuditRecorder } from './audit-recorder.ts'

export type ApiKeyView = {
  id: string
  name: string
  key_prefix: string
  scopes: readonly Scope[]
  user_id: string | null
  limit_usd: number | null
  monthly_budget_usd: number | null
  rate_limits: {
    burst_rps: number | null
    requests_per_minute: number | null
    tokens_per_minute: number | null
    max_concurrent: number | null
  }
  allowed_models: readonly string[]
  expires_at: string | null
  created_at: string
  revoked_at: string | null
}

export type NewApiKey = {
  userId: string
  name: string
  scopes: readonly Scope[]
  limitMicros?: number | null
  monthlyBudgetMicros?: number | null
  rateLimits?: Partial<KeyRateLimits>
  allowedModels?: readonly string[]
  expiresAt?: number | null
}

/** Who asks, for the audit log; `ownerId` confines the call to that user's keys (another user's key is a 404). */
export type KeyCaller = { actor: string; requestId: string; ownerId?: string }

export type ApiKeyService = {
  /** Creates a key; the raw key is in the result and nowhere else, ever. */
  create(input: NewApiKey, caller: KeyCaller): Promise<ApiKeyView & { raw: string }>
  list(filter?: { userId?: string }): Promise<ApiKeyView[]>
  get(id: string, ownerId?: string): Promise<ApiKeyView>
  revoke(id: string, caller: KeyCaller): Promise<ApiKeyView>
}

export function createApiKeyService(options: {
  store: Store
  authenticator: ApiKeyAuthenticator
  audit?: AuditRecorder
  /** Tells other replicas (Redis pub/sub) that a key was revoked. */
  onRevoked?: (record: ApiKeyRecord) => void
  /** A new key's rate limits when its creator names none (config: SWITCHYARD_RATE_LIMIT_*). */
  defaultRateLimits?: KeyRateLimits
  now?: () => number
}): ApiKeyService {
  const now = options.now ?? Date.now

  async function owned(id: string, ownerId: string | undefined): Promise<ApiKeyRecord> {
    const record = await options.store.apiKeys.get(id)
    if (record == null || (ownerId != null && record.userId !== ownerId)) {
      throw new GatewayError('not_found', `No API key with id \`${id}\`.`, { param: 'id' })
    }
    return record
  }

  return {
    async create(input, caller) {
      if ((await options.store.users.get(input.userId)) == null) {
        throw new GatewayError('not_found', `No user with id \`${input.userId}\`.`, { param: 'user_id' })
      }
      const secret = generateApiKeySecret()
      const record: ApiKeyRecord = {
        id: newId('key'),
        name: input.name,
        keyPrefix: secret.keyPrefix,
        digest: secret.digest,
        scopes: [...new Set(input.scopes)],
        createdAt: now(),
        revokedAt: null,
        userId: input.userId,
        limitMicros: input.limitMicros ?? null,
        monthlyBudgetMicros: input.monthlyBudgetMicros ?? null,
        rateLimits: { ...(options.defaultRateLimits ?? defaultRateLimits), ...input.rateLimits },
        allowedModels: [...(input.allowedModels ?? [])],
        expiresAt: input.expiresAt ?? null,
      }
      await options.store.apiKeys.insert(record)
      options.authenticator.remember(record)
      const view = viewApiKey(record)
      await options.audit?.record({
        actor: caller.actor,
        action: 'key.create',
        target: record.id,
        after: view,
        requestId: caller.requestId,
      })
      return { ...view, raw: secret.raw }
    },
    async list(filter = {}) {
      const records = filter.userId == null ? await options.store.apiKeys.list() : await options.store.apiKeys.listByUser(filter.userId)
      return records.map(viewApiKey)
    },
    async get(id, ownerId) {
      return viewApiKey(await owned(id, ownerId))
    },
    async revoke(id, caller) {
      const before = await owned(id, caller.ownerId)
      const record = await options.store.apiKeys.revoke(id, now())
      if (record == null) throw new GatewayError('not_found', `No API key with id \`${id}\`.`, { param: 'id' })
      options.authenticator.remember(record)
      options.onRevoked?.(record)
      const view = viewApiKey(record)
      if (before.revokedAt == null) {
        await options.audit?.record({
          actor: caller.actor,
          action: 'key.revoke',
          target: id,
          before: viewApiKey(before),
          after: view,
          requestId: caller.requestId,
        })
      }
      return view
    },
  }
}

const toUsd = (micros: number | null) => (micros == null ? null : micros / 1_000_000)
const toIso = (at: number | null) => (at == null ? null : new Date(at).toISOString())

export function viewApiKey(record: ApiKeyRecord): ApiKeyView {
  return {
    id: record.id,
    name: record.name,
    key_prefix: record.keyPrefix,
    scopes: record.scopes,
    user_id: record.userId,
    limit_usd: toUsd(record.limitMicros),
    monthly_budget_usd: toUsd(record.monthlyBudgetMicros),
    rate_limits: {
      burst_rps: record.rateLimits.burstRps,
      requests_per_minute: record.rateLimits.requestsPerMinute,
      tokens_per_minute: record.rateLimits.tokensPerMinute,
      max_concurrent: record.rateLimits.maxConcurrent,
    },
    allowed_models: record.allowedModels,
    expires_at: toIso(record.expiresAt),
    created_at: new Date(record.createdAt).toISOString(),
    revoked_at: toIso(record.revokedAt),
  }
}
