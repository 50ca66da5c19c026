import { GatewayError } from '../errors/gateway-error.ts'
import type { ApiKeyRecord, Store } from '../store/store.ts'
import { digestSecret } from './api-key-secret.ts'

export type ApiKeyAuthenticator = {
  /** Resolves a raw key to its record; throws 401 for unknown or revoked keys. */
  authenticate(raw: string): Promise<ApiKeyRecord>
  /**
   * The same, answered from memory without a promise when the key is cached (the hot path);
   * undefined when it is not, and the caller then awaits `authenticate`.
   */
  authenticateCached(raw: string): ApiKeyRecord | undefined
  /** Called after a key is created or revoked on this process, so the cache is never stale here. */
  remember(record: ApiKeyRecord): void
  /** A revocation heard from another replica: applied to the cached record, if any. */
  markRevoked(digest: string, revokedAt: number): void
  /** The cached record of a key authenticated (or created) on this process, by id; no database read. */
  cachedById(id: string): ApiKeyRecord | undefined
}

const negativeEntryLifetimeMs = 5_000
const maxNegativeEntries = 10_000
const maxRememberedDigests = 10_000

/**
 * Keys live in memory once seen: a request with a known key reads no database. An unknown key is
 * looked up once and remembered as unknown for a few seconds, so a flood of bad keys cannot turn
 * into a flood of queries. Revocation on this process updates the cache at once.
 */
export function createApiKeyAuthenticator(options: { store: Store; now?: () => number }): ApiKeyAuthenticator {
  const now = options.now ?? Date.now
  const known = new Map<string, ApiKeyRecord>()
  const knownById = new Map<string, ApiKeyRecord>()
  const keep = (record: ApiKeyRecord) => {
    known.set(record.digest, record)
    knownById.set(record.id, record)
  }
  const unknownUntil = new Map<string, number>()
  // SHA-256 of the presented key, remembered for keys that were found: a busy key is hashed once,
  // not on every request. Only the digest leads to the record, so revocation works as before.
  const digests = new Map<string, string>()
  const rememberDigest = (raw: string, digest: string) => {
    if (digests.size >= maxRememberedDigests) digests.clear()
    digests.set(raw, digest)
  }

  function check(record: ApiKeyRecord): ApiKeyRecord {
    if (record.revokedAt != null) throw new GatewayError('invalid_api_key', 'This API key has been revoked.')
    if (record.expiresAt != null && record.expiresAt <= now()) {
      throw new GatewayError('invalid_api_key', `This API key expired at ${new Date(record.expiresAt).toISOString()}.`)
    }
    if (record.userId == null) {
      throw new GatewayError('permission_denied', 'This API key has no owner (it predates accounts); create a new key for a user.')
    }
    return record
  }

  function cachedRecord(raw: string, digest: string, remembered: boolean): ApiKeyRecord | undefined {
    const cached = known.get(digest)
    if (cached == null) return undefined
    if (!remembered) rememberDigest(raw, digest)
    return check(cached)
  }

  return {
    authenticateCached(raw) {
      const remembered = digests.get(raw)
      return cachedRecord(raw, remembered ?? digestSecret(raw), remembered != null)
    },
    async authenticate(raw) {
      const remembered = digests.get(raw)
      const digest = remembered ?? digestSecret(raw)
      const cached = cachedRecord(raw, digest, remembered != null)
      if (cached != null) return cached
      const unknownExpiry = unknownUntil.get(digest)
      if (unknownExpiry != null && unknownExpiry > now()) throw invalidKey()
      const record = await options.store.apiKeys.findByDigest(digest).catch((error: unknown) => {
        throw new GatewayError('service_unavailable', 'The key store is unreachable; try again shortly.', { cause: error })
      })
      if (record == null) {
        if (unknownUntil.size >= maxNegativeEntries) unknownUntil.clear()
        unknownUntil.set(digest, now() + negativeEntryLifetimeMs)
        throw invalidKey()
      }
      keep(record)
      return check(record)
    },
    remember(record) {
      keep(record)
      unknownUntil.delete(record.digest)
    },
    markRevoked(digest, revokedAt) {
      const cached = known.get(digest)
      if (cached != null && cached.revokedAt == null) keep({ ...cached, revokedAt })
    },
    cachedById(id) {
      return knownById.get(id)
    },
  }
}

function invalidKey(): GatewayError {
  return new GatewayError(
    'invalid_api_key',
    'Incorrect API key provided. Keys look like sk-sy-...; create one with `switchyard admin keys create`.',
  )
}
