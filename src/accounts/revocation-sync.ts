import type { ApiKeyRecord, Store } from '../store/store.ts'
import type { ApiKeyAuthenticator } from './api-key-authenticator.ts'

export type RevocationSync = {
  /** Tells every replica about a revocation made here. */
  publish(record: ApiKeyRecord): void
  stop(): Promise<void>
}

/**
 * Every replica caches keys in memory, so a revocation made on one must reach the others. With
 * Redis, it is published on a channel and applied by every subscriber within milliseconds. As a
 * fallback (no Redis, a lost message, a replica that was reconnecting), each replica also asks
 * the database every `pollIntervalMs` for keys revoked since its last look.
 */
export async function startRevocationSync(options: {
  store: Store
  authenticator: ApiKeyAuthenticator
  redisUrl: string | undefined
  channel: string
  pollIntervalMs?: number
  onError?: (error: unknown) => void
  now?: () => number
}): Promise<RevocationSync> {
  const now = options.now ?? Date.now
  const pollIntervalMs = options.pollIntervalMs ?? 5_000
  const { authenticator } = options
  let publisher: Bun.RedisClient | undefined
  let subscriber: Bun.RedisClient | undefined
  if (options.redisUrl != null) {
    publisher = new Bun.RedisClient(options.redisUrl)
    subscriber = new Bun.RedisClient(options.redisUrl)
    await subscriber.subscribe(options.channel, (message: string) => {
      try {
        const { digest, revokedAt } = JSON.parse(message) as { digest: string; revokedAt: number }
        authenticator.markRevoked(digest, revokedAt)
      } catch (error) {
        options.onError?.(error)
      }
    })
  }

  // Looks back two intervals, so a revocation committed just before a poll is not missed.
  let lastPoll = now()
  const timer = setInterval(() => {
    const since = lastPoll - 2 * pollIntervalMs
    lastPoll = now()
    options.store.apiKeys.listRevokedSince(since).then(
      (records) => {
        for (const record of records) if (record.revokedAt != null) authenticator.markRevoked(record.digest, record.revokedAt)
      },
      (error: unknown) => options.onError?.(error),
    )
  }, pollIntervalMs)
  timer.unref?.()

  return {
    publish(record) {
      if (publisher == null || record.revokedAt == null) return
      publisher
        .publish(options.channel, JSON.stringify({ digest: record.digest, revokedAt: record.revokedAt }))
        .catch((error: unknown) => options.onError?.(error))
    },
    async stop() {
      clearInterval(timer)
      subscriber?.close()
      publisher?.close()
    },
  }
}
