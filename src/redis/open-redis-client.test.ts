import { describe, expect, test } from 'bun:test'
import { StartupError } from '../errors/startup-error.ts'
import { openRedisClient } from './open-redis-client.ts'

async function failureOf(promise: Promise<unknown>): Promise<{ error: unknown; ms: number }> {
  const started = Date.now()
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  )
  return { error, ms: Date.now() - started }
}

describe('openRedisClient', () => {
  test('a refused connection fails at once, naming the URL without its password', async () => {
    const { error, ms } = await failureOf(openRedisClient('redis://:hunter2@127.0.0.1:1/0'))
    expect(ms).toBeLessThan(1000)
    expect(error).toBeInstanceOf(StartupError)
    const { message } = error as StartupError
    expect(message).toStartWith('Redis at redis://:***@127.0.0.1:1/0 did not answer')
    expect(message).not.toContain('hunter2')
    expect(message).not.toContain('\n')
  })

  test('a server that accepts the connection and never answers fails after the timeout', async () => {
    const silent = Bun.listen({ hostname: '127.0.0.1', port: 0, socket: { data() {} } })
    try {
      const { error, ms } = await failureOf(openRedisClient(`redis://127.0.0.1:${silent.port}`, { timeoutMs: 300 }))
      expect(error).toBeInstanceOf(StartupError)
      expect((error as StartupError).message).toStartWith(`Redis at redis://127.0.0.1:${silent.port} did not answer`)
      expect(ms).toBeGreaterThanOrEqual(250)
      expect(ms).toBeLessThan(2000)
    } finally {
      silent.stop(true)
    }
  })

  const redisUrl = process.env.SWITCHYARD_TEST_REDIS_URL
  test.skipIf(redisUrl == null || redisUrl === '')('a Redis that answers gives a connected client', async () => {
    const client = await openRedisClient(redisUrl ?? '')
    try {
      expect(client.connected).toBe(true)
      expect(await client.ping()).toBe('PONG')
    } finally {
      client.close()
    }
  })
})
