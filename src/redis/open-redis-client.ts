import { RedisClient } from 'bun'

/**
 * The gateway's connection for shared state (rate limits, /device abuse limits). No offline queue:
 * while Redis is away a caller gets a prompt error (a 503) instead of waiting in a queue.
 */
export async function openRedisClient(url: string): Promise<RedisClient> {
  const client = new RedisClient(url, { connectionTimeout: 5000, autoReconnect: true, enableOfflineQueue: false })
  try {
    await client.connect()
  } catch (error) {
    throw new Error(`Redis at ${redactUrl(url)} did not answer: ${(error as Error).message}`, { cause: error })
  }
  return client
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
