import type { RedisClient } from 'bun'
import { reconnectInBackground } from './reconnect-in-background.ts'

/**
 * Readiness: one PING. A failure also starts a reconnect, since a replica that readiness took out
 * of the load balancer gets no traffic whose commands would start one, and would never come back.
 */
export async function pingRedis(client: RedisClient): Promise<void> {
  try {
    await client.ping()
  } catch (error) {
    reconnectInBackground(client)
    throw error
  }
}
