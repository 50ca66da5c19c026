import type { RedisClient } from 'bun'

const reconnecting = new WeakMap<RedisClient, Promise<void>>()

/**
 * Bun's client retries a lost connection for about 30 s, then gives up for good: only `connect()`
 * starts it again. Whoever sees a command fail calls this, so the next call after an outage finds
 * the connection back. One attempt at a time per client, shared by every caller.
 */
export function reconnectInBackground(client: RedisClient): void {
  if (client.connected || reconnecting.has(client)) return
  reconnecting.set(
    client,
    client
      .connect()
      .catch(() => {})
      .finally(() => reconnecting.delete(client)),
  )
}
