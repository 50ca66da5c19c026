import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../errors/gateway-error.ts'
import { formatUsd, parseTopupAmountCents } from './parse-topup-amount.ts'

const bounds = { minUsd: 1, maxUsd: 500 }

describe('parseTopupAmountCents', () => {
  test.each([
    [5, 500],
    [12.5, 1250],
    [0.1 + 0.2 + 0.7, 100], // float noise is not an extra decimal
    ['19.99', 1999],
    [500, 50_000],
  ])('%p USD → %p cents', (amount, cents) => {
    expect(parseTopupAmountCents({ amount_usd: amount }, bounds)).toBe(cents)
  })

  test.each([
    [{}, /required/],
    [{ amount_usd: 'ten' }, /must be a number/],
    [{ amount_usd: null }, /must be a number/],
    [{ amount_usd: Number.POSITIVE_INFINITY }, /must be a number/],
    [{ amount_usd: 1.234 }, /two decimals/],
    [{ amount_usd: 0 }, /at least 1\.00/],
    [{ amount_usd: -5 }, /at least 1\.00/],
    [{ amount_usd: 500.01 }, /at most 500\.00/],
    [{ amount_usd: '-5' }, /must be a number/],
    [null, /required/],
  ])('%p is a 400 naming amount_usd', (body, message) => {
    let caught: unknown
    try {
      parseTopupAmountCents(body, bounds)
    } catch (error) {
      caught = error
    }
    expect(caught).toBeInstanceOf(GatewayError)
    expect((caught as GatewayError).status).toBe(400)
    expect((caught as GatewayError).param).toBe('amount_usd')
    expect((caught as GatewayError).message).toMatch(message)
  })

  test('formatUsd', () => {
    expect(formatUsd(500)).toBe('5.00')
    expect(formatUsd(1999)).toBe('19.99')
  })
})
