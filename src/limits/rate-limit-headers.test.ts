import { describe, expect, test } from 'bun:test'
import { formatGoDuration } from './format-go-duration.ts'
import { writeRateLimitHeaders } from './rate-limit-headers.ts'

describe('formatGoDuration', () => {
  test.each([
    [0, '0s'],
    [-5, '0s'],
    [12, '12ms'],
    [999.2, '1s'],
    [1000, '1s'],
    [12_500, '12.5s'],
    [1_234, '1.234s'],
    [60_000, '1m0s'],
    [61_050, '1m1.05s'],
  ])('%p ms → %p', (ms, expected) => {
    expect(formatGoDuration(ms)).toBe(expected)
  })
})

describe('writeRateLimitHeaders', () => {
  const collect = (...args: Parameters<typeof writeRateLimitHeaders> extends [unknown, ...infer Rest] ? Rest : never) => {
    const headers: Record<string, string> = {}
    writeRateLimitHeaders(headers, ...args)
    return headers
  }
  const now = Date.UTC(2030, 0, 1, 12, 0, 45, 250) // 45.25 s into a minute, 250 ms into a second

  test('the tighter request window is shown: burst when it has fewer left', () => {
    const limits = { burstRps: 10, requestsPerMinute: 600, tokensPerMinute: 1000, maxConcurrent: null }
    expect(collect(limits, { burstCount: 7, minuteCount: 100, minuteTokens: 250, inFlight: 0 }, now)).toEqual({
      'x-ratelimit-limit-requests': '10',
      'x-ratelimit-remaining-requests': '3',
      'x-ratelimit-reset-requests': '750ms',
      'x-ratelimit-limit-tokens': '1000',
      'x-ratelimit-remaining-tokens': '750',
      'x-ratelimit-reset-tokens': '14.75s',
    })
  })

  test('per minute when it has fewer left; remaining never negative', () => {
    const limits = { burstRps: 10, requestsPerMinute: 5, tokensPerMinute: 100, maxConcurrent: null }
    expect(collect(limits, { burstCount: 1, minuteCount: 5, minuteTokens: 400, inFlight: 0 }, now)).toMatchObject({
      'x-ratelimit-limit-requests': '5',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '14.75s',
      'x-ratelimit-remaining-tokens': '0',
    })
  })

  test('no limits, no headers', () => {
    const limits = { burstRps: null, requestsPerMinute: null, tokensPerMinute: null, maxConcurrent: 3 }
    expect(collect(limits, { burstCount: 0, minuteCount: 0, minuteTokens: 0, inFlight: 1 }, now)).toEqual({})
  })
})
