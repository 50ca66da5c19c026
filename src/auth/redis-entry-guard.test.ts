import { afterAll, describe, test } from 'bun:test'
import { RedisClient } from 'bun'
import { createRedisScriptRunner } from '../redis/redis-script-runner.ts'
import { contractSettings, runEntryGuardContract } from './entry-guard-contract.ts'
import { createRedisEntryGuard } from './redis-entry-guard.ts'

// Runs when SWITCHYARD_TEST_REDIS_URL is set (CI sets it); every key carries a per-run prefix.
const redisUrl = process.env.SWITCHYARD_TEST_REDIS_URL

if (redisUrl == null || redisUrl === '') {
  describe.skip('device entry guard contract: redis (SWITCHYARD_TEST_REDIS_URL not set)', () => {
    test('skipped', () => {})
  })
} else {
  const client = new RedisClient(redisUrl)
  afterAll(() => client.close())
  const keyPrefix = `test:${crypto.randomUUID()}:`
  runEntryGuardContract('redis', async () => {
    if (!client.connected) await client.connect()
    return createRedisEntryGuard({ runScript: createRedisScriptRunner(client), keyPrefix, settings: contractSettings })
  })
}
