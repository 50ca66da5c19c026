import { describe, expect, test } from 'bun:test'
import { createRequestId } from './create-request-id.ts'

describe('createRequestId', () => {
  test('req_ + 20 word characters, so Hono accepts it as an X-Request-Id', () => {
    expect(createRequestId()).toMatch(/^req_[0-9a-z]{9}[A-Za-z0-9]{11}$/)
  })

  test('ids sort by time, so request-log inserts append to the primary-key index', () => {
    const ids = [1_000, 1_700_000_000_000, 1_700_000_000_001, 4_000_000_000_000].map((time) => createRequestId(time))
    expect([...ids].sort()).toEqual(ids)
  })

  test('two ids in the same millisecond differ', () => {
    expect(createRequestId(1_700_000_000_000)).not.toBe(createRequestId(1_700_000_000_000))
  })
})
