import { digestSecret, newId, randomBase62 } from '../accounts/api-key-secret.ts'
import type { SessionRecord, Store } from '../store/store.ts'
import type { SessionAuthenticator } from './auth-seams.ts'

export const sessionTokenPrefix = 'sy-session-'
export const sessionLifetimeSeconds = 30 * 24 * 60 * 60

export type IssuedSession = { token: string; session: SessionRecord }

/**
 * Session tokens from device-flow login: `sy-session-` + 43 base-62 characters (≈ 256 bits),
 * stored only as a SHA-256 digest. Known sessions are cached in memory so the management API does
 * not read the database per request; a revocation on this process updates the cache at once.
 */
export function createSessionService(options: { store: Store; now: () => number }) {
  const cache = new Map<string, SessionRecord | null>()

  const authenticate: SessionAuthenticator['authenticate'] = async (token) => {
    if (!token.startsWith(sessionTokenPrefix)) return undefined
    const digest = digestSecret(token)
    let record = cache.get(digest)
    if (record === undefined) {
      record = (await options.store.sessions.findByDigest(digest)) ?? null
      if (cache.size > 50_000) cache.clear()
      if (record != null) cache.set(digest, record)
    }
    if (record == null || record.revokedAt != null || record.expiresAt <= options.now()) return undefined
    return { userId: record.userId, sessionId: record.id }
  }

  return {
    authenticator: { authenticate } satisfies SessionAuthenticator,

    async issue(input: { userId: string; clientId: string; scope: string }): Promise<IssuedSession> {
      const token = `${sessionTokenPrefix}${randomBase62(43)}`
      const createdAt = options.now()
      const session: SessionRecord = {
        id: newId('ses'),
        userId: input.userId,
        digest: digestSecret(token),
        clientId: input.clientId,
        scope: input.scope,
        createdAt,
        expiresAt: createdAt + sessionLifetimeSeconds * 1000,
        revokedAt: null,
      }
      await options.store.sessions.insert(session)
      cache.set(session.digest, session)
      return { token, session }
    },

    /** Looks a token up without the expiry/revocation filter, for introspection routes. */
    async find(token: string): Promise<SessionRecord | undefined> {
      const identity = await authenticate(token)
      if (identity == null) return undefined
      return cache.get(digestSecret(token)) ?? undefined
    },

    async revoke(token: string): Promise<boolean> {
      const identity = await authenticate(token)
      if (identity == null) return false
      const updated = await options.store.sessions.revoke(identity.sessionId, options.now())
      if (updated != null) cache.set(updated.digest, updated)
      return true
    },
  }
}

export type SessionService = ReturnType<typeof createSessionService>
