import { describe, expect, test } from 'bun:test'
import { RedisClient } from 'bun'
import { pingRedis } from './ping-redis.ts'

// Runs when SWITCHYARD_TEST_REDIS_URL is set (CI sets it).
const redisUrl = process.env.SWITCHYARD_TEST_REDIS_URL
const describeWithRedis = redisUrl == null || redisUrl === '' ? describe.skip : describe

describeWithRedis('pingRedis', () => {
  test('revives a client that gave up reconnecting, so readiness alone brings a replica back', async () => {
    // maxRetries 0 gives up at once: the state Bun's client reaches after an outage of about 30 s.
    const client = new RedisClient(redisUrl, { autoReconnect: true, maxRetries: 0, enableOfflineQueue: false })
    const admin = new RedisClient(redisUrl)
    try {
      await client.connect()
      await admin.send('CLIENT', ['KILL', 'ID', String(await client.send('CLIENT', ['ID']))])
      await Bun.sleep(100)
      // The premise: left alone, the client stays down although Redis is there.
      expect(await client.ping().catch((error: Error) => error.message)).toBe('Connection has failed')
      await Bun.sleep(100)
      expect(client.connected).toBe(false)

      expect(await pingRedis(client).catch(() => 'failed')).toBe('failed')
      let revived = false
      for (let attempt = 0; attempt < 50 && !revived; attempt++) {
        await Bun.sleep(20)
        revived = await pingRedis(client).then(
          () => true,
          () => false,
        )
      }
      expect(revived).toBe(true)
    } finally {
      client.close()
      admin.close()
    }
  })
})
