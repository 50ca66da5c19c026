import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../errors/gateway-error.ts'
import { backoffDelayMs, planAfterFailure } from './retry-policy.ts'

/** mulberry32: a small seeded generator, so the jitter test is repeatable. */
function seeded(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let value = state
    value = Math.imul(value ^ (value >>> 15), value | 1)
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61)
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296
  }
}

describe('backoff with full jitter', () => {
  const settings = { baseDelayMs: 100, maxDelayMs: 1000 }

  test('the ceiling doubles per retry and stops at the maximum', () => {
    expect(backoffDelayMs(0, settings, () => 0.999999)).toBe(99)
    expect(backoffDelayMs(1, settings, () => 0.999999)).toBe(199)
    expect(backoffDelayMs(3, settings, () => 0.999999)).toBe(799)
    expect(backoffDelayMs(4, settings, () => 0.999999)).toBe(999)
    expect(backoffDelayMs(30, settings, () => 0.999999)).toBe(999)
    expect(backoffDelayMs(2, settings, () => 0)).toBe(0)
  })

  test('delays spread uniformly over [0, ceiling) with a seeded random source', () => {
    const random = seeded(42)
    const delays = Array.from({ length: 4000 }, () => backoffDelayMs(2, settings, random))
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0)
    expect(Math.max(...delays)).toBeLessThan(400)
    const mean = delays.reduce((sum, delay) => sum + delay, 0) / delays.length
    expect(Math.abs(mean - 200)).toBeLessThan(10)
    // Every quarter of the range gets roughly a quarter of the delays: no clustering.
    for (let quarter = 0; quarter < 4; quarter += 1) {
      const share = delays.filter((delay) => delay >= quarter * 100 && delay < (quarter + 1) * 100).length / delays.length
      expect(Math.abs(share - 0.25)).toBeLessThan(0.03)
    }
    // The same seed gives the same delays.
    const again = seeded(42)
    expect(Array.from({ length: 5 }, () => backoffDelayMs(2, settings, again))).toEqual(delays.slice(0, 5))
  })
})

describe('plan after a failed attempt', () => {
  test('transient errors retry, timeouts move on, overflow goes bigger, refusals stop', () => {
    expect(planAfterFailure(new GatewayError('upstream_error', 'x'))).toEqual({ next: 'retry', blame: true })
    expect(planAfterFailure(new GatewayError('upstream_unavailable', 'x'))).toEqual({ next: 'retry', blame: true })
    expect(planAfterFailure(new GatewayError('upstream_rate_limited', 'x'))).toEqual({ next: 'retry', blame: false })
    expect(planAfterFailure(new GatewayError('upstream_timeout', 'x'))).toEqual({ next: 'move', blame: true })
    expect(planAfterFailure(new GatewayError('context_length_exceeded', 'x'))).toEqual({ next: 'bigger', blame: false })
    expect(planAfterFailure(new GatewayError('upstream_rejected', 'x'))).toEqual({ next: 'stop', blame: false })
  })
})
