import { RedisClient } from 'bun'
import { Hono } from 'hono'
import pino from 'pino'
import type { AppEnv } from '../src/http/app-env.ts'
import { rateLimit } from '../src/http/middleware/rate-limit.ts'
import { AdmissionTicket } from '../src/limits/admission-ticket.ts'
import { configuredDefaultLimits } from '../src/limits/key-rate-limits.ts'
import { createMemoryRateLimiter } from '../src/limits/memory-rate-limiter.ts'
import { minuteWindowOf, type RateLimiter } from '../src/limits/rate-limiter.ts'
import { createRedisRateLimiter } from '../src/limits/redis-rate-limiter.ts'
import { type ApiKeyRecord, defaultRateLimits } from '../src/store/store.ts'

/**
 * The cost of admission (issue 3 budget: cached auth + limit check + reservation ≤ 100 µs at p50).
 *
 *   ./node_modules/.bin/bun bench/rate-limit-bench.ts [--redis redis://127.0.0.1:6379]
 *
 * 1. The memory limiter alone: admit + finish with all four limits set, 1,000 keys in rotation.
 * 2. The rate-limit middleware in a Hono app (in process, no network), minus the same app without it.
 * 3. With --redis: one admission round trip (EVALSHA) to Redis, sequential; `finish` is not awaited.
 */

const limits = { burstRps: 1_000_000_000, requestsPerMinute: 1_000_000_000, tokensPerMinute: 1_000_000_000, maxConcurrent: 1_000_000 }
const keyIds = Array.from({ length: 1000 }, (_, i) => `key_bench_${i}`)
const noop = () => {}

function summarize(label: string, timings: Float64Array): { p50: number } {
  timings.sort()
  const at = (fraction: number) => timings[Math.min(timings.length - 1, Math.floor(fraction * timings.length))] ?? 0
  console.log(`${label}: p50 ${at(0.5).toFixed(2)} µs, p99 ${at(0.99).toFixed(2)} µs (${timings.length} iterations)`)
  return { p50: at(0.5) }
}

async function timeLimiter(limiter: RateLimiter, iterations: number): Promise<Float64Array> {
  const timings = new Float64Array(iterations)
  for (let i = 0; i < iterations; i++) {
    const keyId = keyIds[i % keyIds.length] as string
    const leaseId = `lease_${i}`
    const started = Bun.nanoseconds()
    const now = Date.now()
    await limiter.admit({ keyId, limits, estimatedTokens: 100, leaseId, now })
    new AdmissionTicket(limiter, keyId, leaseId, true, true, minuteWindowOf(now), 100, noop).finish(80)
    timings[i] = (Bun.nanoseconds() - started) / 1000
  }
  return timings
}

async function timeApp(app: Hono<AppEnv>, iterations: number): Promise<Float64Array> {
  const timings = new Float64Array(iterations)
  for (let i = 0; i < iterations; i++) {
    const request = new Request('http://bench/v1/chat/completions', { method: 'POST', headers: { 'content-length': '400' } })
    const started = Bun.nanoseconds()
    const response = await app.fetch(request)
    timings[i] = (Bun.nanoseconds() - started) / 1000
    if (response.status !== 200) throw new Error(`unexpected ${response.status}`)
  }
  return timings
}

function benchApp(withRateLimit: boolean, limiter: RateLimiter): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const records = keyIds.map(
    (id): ApiKeyRecord => ({
      id,
      name: id,
      keyPrefix: 'sk-sy-x',
      digest: id,
      scopes: ['chat'],
      createdAt: 0,
      revokedAt: null,
      userId: 'user_bench',
      limitMicros: null,
      monthlyBudgetMicros: null,
      rateLimits: defaultRateLimits,
      allowedModels: [],
      expiresAt: null,
    }),
  )
  let next = 0
  app.use(async (c, nextMiddleware) => {
    c.set('requestId', `req_${next}`)
    c.set('apiKey', records[next++ % records.length])
    await nextMiddleware()
  })
  if (withRateLimit)
    app.use(rateLimit({ limiter, limitsFor: configuredDefaultLimits(limits), now: Date.now, logger: pino({ level: 'silent' }) }))
  app.post('/v1/chat/completions', (c) => {
    c.get('rateLimitTicket')?.finish(80)
    return c.json({ ok: true })
  })
  return app
}

const memory = createMemoryRateLimiter()
await timeLimiter(memory, 20_000)
summarize('memory limiter: admit + finish', await timeLimiter(memory, 200_000))

const withLimits = benchApp(true, memory)
const without = benchApp(false, memory)
await timeApp(withLimits, 20_000)
await timeApp(without, 20_000)
const baseline = summarize('Hono app without the middleware', await timeApp(without, 100_000))
const limited = summarize('Hono app with the rate-limit middleware', await timeApp(withLimits, 100_000))
console.log(`rate-limit middleware adds ≈ ${(limited.p50 - baseline.p50).toFixed(2)} µs at p50 (memory backend)`)

const redisFlag = process.argv.indexOf('--redis')
const redisUrl = redisFlag === -1 ? undefined : process.argv[redisFlag + 1]
if (redisUrl != null) {
  const client = new RedisClient(redisUrl)
  await client.connect()
  const redis = createRedisRateLimiter({ client, keyPrefix: `bench:${crypto.randomUUID()}:` })
  await timeLimiter(redis, 1000)
  summarize('redis limiter: admit (one EVALSHA round trip; finish runs in the background)', await timeLimiter(redis, 10_000))
  await redis.close()
}
