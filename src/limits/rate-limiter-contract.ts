import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import type { KeyRateLimits } from './key-rate-limits.ts'
import type { AdmissionDecision, AdmissionRequest, RateLimiter } from './rate-limiter.ts'

// The one suite both backends pass (memory-rate-limiter.test.ts, redis-rate-limiter.test.ts).
// Time is passed in, so every window edge is exact; each test uses its own key id.

const unlimited: KeyRateLimits = { burstRps: null, requestsPerMinute: null, tokensPerMinute: null, maxConcurrent: null }
/** A minute boundary, so `start + n` ms is n ms into both a second and a minute window. */
const start = Date.UTC(2030, 0, 1, 12, 0, 0)

export function runRateLimiterContract(name: string, open: () => Promise<RateLimiter>): void {
  describe(`rate limiter contract: ${name}`, () => {
    let limiter: RateLimiter
    beforeAll(async () => {
      limiter = await open()
    })
    afterAll(async () => {
      await limiter.close()
    })

    let leaseCounter = 0
    const request = (keyId: string, limits: Partial<KeyRateLimits>, now: number, estimatedTokens = 0): AdmissionRequest => ({
      keyId,
      limits: { ...unlimited, ...limits },
      estimatedTokens,
      leaseId: `lease-${++leaseCounter}`,
      now,
    })
    const newKey = () => `key_${crypto.randomUUID()}`
    const admitted = (decisions: AdmissionDecision[]) => decisions.filter((decision) => decision.admitted).length

    test('burst: at most N per second, refused with the time to the next second, then admitted again', async () => {
      const key = newKey()
      for (let i = 0; i < 3; i++) expect((await limiter.admit(request(key, { burstRps: 3 }, start + 100 + i))).admitted).toBe(true)
      const refused = await limiter.admit(request(key, { burstRps: 3 }, start + 250))
      expect(refused).toMatchObject({ admitted: false, reason: 'burst', retryAfterMs: 750 })
      expect(refused.state.burstCount).toBe(3)
      expect((await limiter.admit(request(key, { burstRps: 3 }, start + 1000))).admitted).toBe(true)
    })

    test('requests per minute: counted across seconds, reset at the next minute', async () => {
      const key = newKey()
      for (let i = 0; i < 5; i++)
        expect((await limiter.admit(request(key, { requestsPerMinute: 5 }, start + i * 7000))).admitted).toBe(true)
      const refused = await limiter.admit(request(key, { requestsPerMinute: 5 }, start + 50_000))
      expect(refused).toMatchObject({ admitted: false, reason: 'requests_per_minute', retryAfterMs: 10_000 })
      expect(refused.state.minuteCount).toBe(5)
      const next = await limiter.admit(request(key, { requestsPerMinute: 5 }, start + 60_000))
      expect(next).toMatchObject({ admitted: true, state: { minuteCount: 1 } })
    })

    test('tokens per minute: estimates are charged at admission and corrected at finish', async () => {
      const key = newKey()
      const limits = { tokensPerMinute: 100 }
      const first = request(key, limits, start + 10, 40)
      expect(await limiter.admit(first)).toMatchObject({ admitted: true, state: { minuteTokens: 40 } })
      expect(await limiter.admit(request(key, limits, start + 20, 40))).toMatchObject({ admitted: true, state: { minuteTokens: 80 } })
      expect(await limiter.admit(request(key, limits, start + 30, 40))).toMatchObject({ admitted: false, reason: 'tokens_per_minute' })
      await limiter.finish({
        keyId: key,
        leaseId: first.leaseId,
        heldSlot: false,
        minuteWindow: Math.floor(first.now / 60_000),
        estimatedTokens: 40,
        actualTokens: 10,
      })
      expect(await limiter.admit(request(key, limits, start + 40, 40))).toMatchObject({ admitted: true, state: { minuteTokens: 90 } })
    })

    test('a request whose estimate alone exceeds the token limit is refused as too large', async () => {
      const refused = await limiter.admit(request(newKey(), { tokensPerMinute: 100 }, start, 101))
      expect(refused).toMatchObject({ admitted: false, reason: 'request_too_large' })
    })

    test('concurrency: a slot is held until finish, whatever the windows do', async () => {
      const key = newKey()
      const limits = { maxConcurrent: 2 }
      const first = request(key, limits, start)
      expect(await limiter.admit(first)).toMatchObject({ admitted: true, state: { inFlight: 1 } })
      expect(await limiter.admit(request(key, limits, start + 1))).toMatchObject({ admitted: true, state: { inFlight: 2 } })
      const refused = await limiter.admit(request(key, limits, start + 120_000))
      expect(refused).toMatchObject({ admitted: false, reason: 'concurrency', state: { inFlight: 2 } })
      expect(refused.admitted === false && refused.retryAfterMs > 0).toBe(true)
      const finish = { keyId: key, leaseId: first.leaseId, heldSlot: true, minuteWindow: 0, estimatedTokens: 0, actualTokens: undefined }
      await limiter.finish(finish) // callers finish each lease exactly once (the middleware's ticket does)
      expect(await limiter.admit(request(key, limits, start + 120_001))).toMatchObject({ admitted: true, state: { inFlight: 2 } })
      expect((await limiter.admit(request(key, limits, start + 120_002))).admitted).toBe(false)
    })

    test('a refusal consumes nothing in any dimension', async () => {
      const key = newKey()
      const limits = { burstRps: 10, requestsPerMinute: 2, tokensPerMinute: 1000, maxConcurrent: 5 }
      expect((await limiter.admit(request(key, limits, start, 100))).admitted).toBe(true)
      expect((await limiter.admit(request(key, limits, start + 1, 100))).admitted).toBe(true)
      for (let i = 0; i < 5; i++) {
        expect(await limiter.admit(request(key, limits, start + 2 + i, 100))).toMatchObject({
          admitted: false,
          reason: 'requests_per_minute',
        })
      }
      const state = (await limiter.admit(request(key, limits, start + 10, 100))).state
      expect(state).toEqual({ burstCount: 2, minuteCount: 2, minuteTokens: 200, inFlight: 2 })
    })

    test('keys are independent', async () => {
      const a = newKey()
      const b = newKey()
      expect((await limiter.admit(request(a, { burstRps: 1 }, start))).admitted).toBe(true)
      expect((await limiter.admit(request(a, { burstRps: 1 }, start))).admitted).toBe(false)
      expect((await limiter.admit(request(b, { burstRps: 1 }, start))).admitted).toBe(true)
    })

    test('unlimited admits everything and takes no slot', async () => {
      const key = newKey()
      const decisions = await Promise.all(Array.from({ length: 50 }, () => limiter.admit(request(key, {}, start, 10))))
      expect(admitted(decisions)).toBe(50)
      expect(decisions.at(-1)?.state.inFlight).toBe(0)
    })

    test('concurrent admissions never exceed the limit: exactly N of many in one window', async () => {
      const key = newKey()
      const limits = { burstRps: 1000, requestsPerMinute: 17, maxConcurrent: 100 }
      const decisions = await Promise.all(Array.from({ length: 60 }, (_, i) => limiter.admit(request(key, limits, start + (i % 900)))))
      expect(admitted(decisions)).toBe(17)
      const counts = decisions.filter((decision) => decision.admitted).map((decision) => decision.state.minuteCount)
      expect(new Set(counts).size).toBe(17)
    })

    test('a token correction for a minute that has passed does not touch the new minute', async () => {
      const key = newKey()
      const limits = { tokensPerMinute: 100 }
      const old = request(key, limits, start, 50)
      await limiter.admit(old)
      expect(await limiter.admit(request(key, limits, start + 60_000, 50))).toMatchObject({ state: { minuteTokens: 50 } })
      await limiter.finish({
        keyId: key,
        leaseId: old.leaseId,
        heldSlot: false,
        minuteWindow: Math.floor(start / 60_000),
        estimatedTokens: 50,
        actualTokens: 0,
      })
      expect(await limiter.admit(request(key, limits, start + 60_001, 50))).toMatchObject({ admitted: true, state: { minuteTokens: 100 } })
    })
  })
}
