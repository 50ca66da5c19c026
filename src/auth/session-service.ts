import { digestSecret, newId, randomBase62 } from '../accounts/api-key-secret.ts'
import type { SessionRecord, Store } from '../store/store.ts'
import type { SessionAuthenticator } from './auth-seams.ts'

export const sessionTokenPrefix = 'sy-session-'
export const sessionLifetimeSeconds = 30 * 24 * 60 * 60

export type IssuedSession = { token: string; session: SessionRecord }

// A session known here is re-read after this long, so a logout on another replica takes effect
// within it; an unknown token is remembered as unknown briefly, so a flood of bad tokens is not a
// flood of queries.
const knownLifetimeMs = 30_000
const unknownLifetimeMs = 5_000

/**
 * Session tokens from device-flow login: `sy-session-` + 43 base-62 characters (≈ 256 bits),
 * stored only as a SHA-256 digest. Sessions are cached in memory so the management API does not
 * read the database per request; a revocation on this process updates the cache at once.
 */
export function createSessionService(options: { store: Store; now: () => number }) {
  const cache = new Map<string, { record: SessionRecord | null; fetchedAt: number }>()

  const lookup = async (digest: string): Promise<SessionRecord | null> => {
    const now = options.now()
    const cached = cache.get(digest)
    if (cached != null && now - cached.fetchedAt < (cached.record == null ? unknownLifetimeMs : knownLifetimeMs)) return cached.record
    const record = (await options.store.sessions.findByDigest(digest)) ?? null
    if (cache.size > 50_000) cache.clear()
    cache.set(digest, { record, fetchedAt: now })
    return record
  }

  const authenticate: SessionAuthenticator['authenticate'] = async (token) => {
    if (!token.startsWith(sessionTokenPrefix)) return undefined
    const record = await lookup(digestSecret(token))
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
      cache.set(session.digest, { record: session, fetchedAt: createdAt })
      return { token, session }
    },

    /** Looks a token up without the expiry/revocation filter, for introspection routes. */
    async find(token: string): Promise<SessionRecord | undefined> {
      const identity = await authenticate(token)
      if (identity == null) return undefined
      return (await lookup(digestSecret(token))) ?? undefined
    },

    async revoke(token: string): Promise<boolean> {
      const identity = await authenticate(token)
      if (identity == null) return false
      const updated = await options.store.sessions.revoke(identity.sessionId, options.now())
      if (updated != null) cache.set(updated.digest, { record: updated, fetchedAt: options.now() })
      return true
    },
  }
}

export type SessionService = ReturnType<typeof createSessionService>
