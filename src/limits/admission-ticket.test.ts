import { describe, expect, test } from 'bun:test'
import { AdmissionTicket } from './admission-ticket.ts'
import type { FinishRequest, RateLimiter } from './rate-limiter.ts'

function recordingLimiter() {
  const finished: FinishRequest[] = []
  const limiter: RateLimiter = {
    backend: 'memory',
    admit: async () => {
      throw new Error('not used')
    },
    finish: async (request) => {
      finished.push(request)
    },
    close: async () => {},
  }
  return { limiter, finished }
}

describe('AdmissionTicket', () => {
  test('finishes once, whoever calls first, with the real token count', () => {
    const { limiter, finished } = recordingLimiter()
    const ticket = new AdmissionTicket(limiter, 'key_a', 'req_1', true, true, 42, 100, () => {})
    ticket.finish(37)
    ticket.finish(undefined)
    expect(ticket.isFinished).toBe(true)
    expect(finished).toEqual([
      { keyId: 'key_a', leaseId: 'req_1', heldSlot: true, minuteWindow: 42, estimatedTokens: 100, actualTokens: 37 },
    ])
  })

  test('nothing to tell the limiter: no slot held and no token limit, or the estimate was exact', () => {
    const { limiter, finished } = recordingLimiter()
    new AdmissionTicket(limiter, 'key_a', 'req_1', false, false, 42, 100, () => {}).finish(37)
    new AdmissionTicket(limiter, 'key_a', 'req_2', false, true, 42, 100, () => {}).finish(100)
    new AdmissionTicket(limiter, 'key_a', 'req_3', false, true, 42, 100, () => {}).finish(undefined)
    expect(finished).toEqual([])
  })

  test('a held slot is released even when usage is unknown, keeping the estimate', () => {
    const { limiter, finished } = recordingLimiter()
    new AdmissionTicket(limiter, 'key_a', 'req_1', true, false, 42, 100, () => {}).finish(37)
    expect(finished).toEqual([
      { keyId: 'key_a', leaseId: 'req_1', heldSlot: true, minuteWindow: 42, estimatedTokens: 100, actualTokens: undefined },
    ])
  })

  test('a failing release is reported, not thrown', async () => {
    const errors: unknown[] = []
    const limiter: RateLimiter = { ...recordingLimiter().limiter, finish: async () => Promise.reject(new Error('redis gone')) }
    new AdmissionTicket(limiter, 'key_a', 'req_1', true, false, 42, 0, (error) => errors.push(error)).finish(undefined)
    await Bun.sleep(0)
    expect(errors).toHaveLength(1)
  })
})
