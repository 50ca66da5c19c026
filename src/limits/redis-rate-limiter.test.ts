import { describe, test } from 'bun:test'
import { RedisClient } from 'bun'
import { runRateLimiterContract } from './rate-limiter-contract.ts'
import { createRedisRateLimiter } from './redis-rate-limiter.ts'

// Runs when SWITCHYARD_TEST_REDIS_URL is set (CI sets it); every key carries a per-run prefix.
const redisUrl = process.env.SWITCHYARD_TEST_REDIS_URL

if (redisUrl == null || redisUrl === '') {
  describe.skip('rate limiter contract: redis (SWITCHYARD_TEST_REDIS_URL not set)', () => {
    test('skipped', () => {})
  })
} else {
  const prefix = `test:${crypto.randomUUID()}:`
  runRateLimiterContract('redis', async () => {
    const client = new RedisClient(redisUrl)
    await client.connect()
    return createRedisRateLimiter({ client, keyPrefix: prefix })
  })
}
