import { describe, expect, test } from 'bun:test'
import { openUpstreamCall } from './send-upstream.ts'

describe('UpstreamCall controllers', () => {
  test('a completed call hands its controller to the next call and can no longer abort it', () => {
    const client = new AbortController()
    const first = openUpstreamCall(client.signal, 60_000)
    first.complete()
    const second = openUpstreamCall(client.signal, 60_000)
    expect(second.signal).toBe(first.signal)
    // The first call is over: nothing it does reaches the fetch that now owns the controller.
    first.abort()
    first.expire()
    first.abandon()
    expect(second.signal.aborted).toBe(false)
    second.abort()
    expect(second.signal.aborted).toBe(true)
  })

  test('an aborted controller is never handed on', () => {
    const client = new AbortController()
    const aborted = openUpstreamCall(client.signal, 60_000)
    aborted.abort()
    aborted.complete()
    const next = openUpstreamCall(client.signal, 60_000)
    expect(next.signal).not.toBe(aborted.signal)
    expect(next.signal.aborted).toBe(false)
    next.complete()
  })
})
