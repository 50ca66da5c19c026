import { RedisClient } from 'bun'
import { createMemoryRateLimiter } from './memory-rate-limiter.ts'
import type { RateLimiter } from './rate-limiter.ts'
import { createRedisRateLimiter } from './redis-rate-limiter.ts'

/** Redis when configured (limits shared by every replica), otherwise exact limits in this process. */
export async function openRateLimiter(options: { redisUrl: string | undefined; keyPrefix: string }): Promise<RateLimiter> {
  if (options.redisUrl == null) return createMemoryRateLimiter()
  // No offline queue: while Redis is away a request gets a prompt 503 instead of waiting in a queue.
  const client = new RedisClient(options.redisUrl, { connectionTimeout: 5000, autoReconnect: true, enableOfflineQueue: false })
  try {
    await client.connect()
  } catch (error) {
    throw new Error(`Redis at ${redactUrl(options.redisUrl)} did not answer: ${(error as Error).message}`, { cause: error })
  }
  return createRedisRateLimiter({ client, keyPrefix: options.keyPrefix })
}

/** A Redis URL may carry a password; it never goes into a message. */
function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'the configured URL'
  }
}
