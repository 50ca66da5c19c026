import { RedisClient } from 'bun'
import { StartupError } from '../errors/startup-error.ts'
import { redactUrl } from '../util/redact-url.ts'
import { withDeadline } from '../util/with-deadline.ts'

/**
 * The gateway's connection for shared state (rate limits, /device abuse limits). No offline queue:
 * while Redis is away a caller gets a prompt error (a 503) instead of waiting in a queue.
 *
 * Start-up fails within `timeoutMs` when Redis is not there. Bun's reconnecting client never
 * rejects `connect()` on a refused connection (it retries for about 30 s first), so a client that
 * does not retry asks first (connect, PING); only then is the reconnecting client opened, the one
 * that rides out an outage after start-up.
 */
export async function openRedisClient(url: string, options: { timeoutMs?: number } = {}): Promise<RedisClient> {
  const timeoutMs = options.timeoutMs ?? 3000
  const probe = new RedisClient(url, { connectionTimeout: timeoutMs, autoReconnect: false, enableOfflineQueue: false })
  try {
    await withDeadline(
      probe.connect().then(() => probe.ping()),
      timeoutMs,
    )
  } catch (error) {
    throw notAnswering(url, error)
  } finally {
    probe.close()
  }
  const client = new RedisClient(url, { connectionTimeout: timeoutMs, autoReconnect: true, enableOfflineQueue: false })
  try {
    await withDeadline(client.connect(), timeoutMs)
  } catch (error) {
    client.close()
    throw notAnswering(url, error)
  }
  return client
}

function notAnswering(url: string, error: unknown): StartupError {
  return new StartupError(`Redis at ${redactUrl(url)} did not answer: ${(error as Error).message}`, { cause: error })
}
