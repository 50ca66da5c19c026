import { RedisClient } from 'bun'
import pino from 'pino'
import { type Admission, createAdmission } from '../src/http/data-plane/admit-request.ts'
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
 * 2. The data plane's admission step as the front calls it: limits lookup, admit, headers, ticket, finish.
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

async function timeAdmission(admission: Admission, iterations: number): Promise<Float64Array> {
  const timings = new Float64Array(iterations)
  for (let i = 0; i < iterations; i++) {
    const apiKey = records[i % records.length] as ApiKeyRecord
    const started = Bun.nanoseconds()
    const ticket = await admission({ apiKey, contentLength: '400', requestId: `req_${i}` }, {})
    ticket?.finish(80)
    timings[i] = (Bun.nanoseconds() - started) / 1000
  }
  return timings
}

const memory = createMemoryRateLimiter()
await timeLimiter(memory, 20_000)
summarize('memory limiter: admit + finish', await timeLimiter(memory, 200_000))

const admission = createAdmission({ limiter: memory, limitsFor: configuredDefaultLimits(limits), now: Date.now, logger: pino({ level: 'silent' }) })
await timeAdmission(admission, 20_000)
summarize('data-plane admission step (memory backend): admit, headers, ticket, finish', await timeAdmission(admission, 200_000))

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
