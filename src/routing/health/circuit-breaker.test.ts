import { describe, expect, test } from 'bun:test'
import { CircuitBreaker } from './circuit-breaker.ts'
import { defaultHealthSettings, type HealthSettings } from './health-settings.ts'
import { HealthTracker } from './health-tracker.ts'

const settings: HealthSettings = {
  ...defaultHealthSettings,
  failureThreshold: 3,
  cooldownMs: 1000,
  minimumRequests: 10,
  windowMs: 10_000,
  errorRateThreshold: 0.5,
}

describe('circuit breaker', () => {
  test('opens after N consecutive failures; a success in between resets the count', () => {
    const breaker = new CircuitBreaker(settings)
    breaker.onFailure(0, false)
    breaker.onFailure(1, false)
    breaker.onSuccess(2, false)
    breaker.onFailure(3, false)
    breaker.onFailure(4, false)
    expect(breaker.state(5)).toBe('closed')
    breaker.onFailure(5, false)
    expect(breaker.state(6)).toBe('open')
    expect(breaker.admit(6)).toBe('reject')
    expect(breaker.canAdmit(6)).toBe(false)
    expect(breaker.opens).toBe(1)
  })

  test('opens on the error rate over the window once the minimum number of calls is reached', () => {
    const breaker = new CircuitBreaker({ ...settings, failureThreshold: 100 })
    // Alternating: never two failures in a row, but half of the calls fail.
    for (let call = 0; call < 9; call += 1) {
      if (call % 2 === 0) breaker.onFailure(call, false)
      else breaker.onSuccess(call, false)
    }
    expect(breaker.state(9)).toBe('closed')
    breaker.onFailure(9, false)
    expect(breaker.state(10)).toBe('open')
  })

  test('failures that left the window no longer count', () => {
    const breaker = new CircuitBreaker({ ...settings, failureThreshold: 100 })
    for (let call = 0; call < 9; call += 1) breaker.onFailure(call, false)
    breaker.onSuccess(9, false)
    // 20 s later the window (10 s) holds only new calls: 10 successes then 1 failure.
    for (let call = 0; call < 10; call += 1) breaker.onSuccess(20_000 + call, false)
    breaker.onFailure(20_010, false)
    expect(breaker.state(20_011)).toBe('closed')
  })

  test('half-open after the cooldown admits exactly one probe; its success closes the circuit', () => {
    const breaker = new CircuitBreaker(settings)
    for (let call = 0; call < 3; call += 1) breaker.onFailure(100, false)
    expect(breaker.admit(1099)).toBe('reject')
    expect(breaker.state(1100)).toBe('half_open')
    expect(breaker.admit(1100)).toBe('probe')
    expect(breaker.admit(1101)).toBe('reject')
    expect(breaker.canAdmit(1101)).toBe(false)
    // A late success from a call that was not the probe changes nothing.
    breaker.onSuccess(1102, false)
    expect(breaker.state(1102)).toBe('half_open')
    breaker.onSuccess(1150, true)
    expect(breaker.state(1150)).toBe('closed')
    expect(breaker.admit(1151)).toBe('call')
    expect(breaker.probes).toBe(1)
  })

  test('a failed probe opens the circuit for another full cooldown', () => {
    const breaker = new CircuitBreaker(settings)
    for (let call = 0; call < 3; call += 1) breaker.onFailure(0, false)
    expect(breaker.admit(1000)).toBe('probe')
    breaker.onFailure(1200, true)
    expect(breaker.state(1201)).toBe('open')
    expect(breaker.admit(2199)).toBe('reject')
    expect(breaker.admit(2200)).toBe('probe')
    expect(breaker.opens).toBe(2)
  })

  test('a neutral probe frees the slot; a lost probe frees it after the lease', () => {
    const breaker = new CircuitBreaker({ ...settings, probeLeaseMs: 5000 })
    for (let call = 0; call < 3; call += 1) breaker.onFailure(0, false)
    expect(breaker.admit(1000)).toBe('probe')
    breaker.onNeutral(true)
    expect(breaker.admit(1001)).toBe('probe')
    expect(breaker.admit(5000)).toBe('reject')
    expect(breaker.admit(6001)).toBe('probe')
  })

  test('failures while open (calls admitted before it opened) do not extend the cooldown', () => {
    const breaker = new CircuitBreaker(settings)
    for (let call = 0; call < 3; call += 1) breaker.onFailure(0, false)
    breaker.onFailure(900, false)
    expect(breaker.admit(1000)).toBe('probe')
  })
})

describe('health tracker', () => {
  test('counts, averages, slow answers as failures, rate-limit marks, availability', () => {
    let clock = 0
    const tracker = new HealthTracker({ ...settings, slowThresholdMs: 500, emaAlpha: 0.5 }, () => clock)
    expect(tracker.stats('a')).toBeUndefined()
    expect(tracker.isAvailable('a', 0)).toBe(true)
    tracker.record('a', { kind: 'success', latencyMs: 100, ttftMs: 40 }, 0, false)
    tracker.record('a', { kind: 'success', latencyMs: 200, ttftMs: 60 }, 1, false)
    tracker.record('a', { kind: 'success', latencyMs: 900, ttftMs: null }, 2, false)
    tracker.record('a', { kind: 'neutral' }, 3, false)
    expect(tracker.stats('a')).toEqual({ state: 'closed', successRate: 2 / 3, latencyEmaMs: 525, ttftEmaMs: 50, requests: 3 })
    tracker.markRateLimited('a', 1000)
    expect(tracker.isAvailable('a', 999)).toBe(false)
    expect(tracker.isAvailable('a', 1000)).toBe(true)
    tracker.record('a', { kind: 'failure', latencyMs: 10 }, 5, false)
    tracker.record('a', { kind: 'failure', latencyMs: 10 }, 6, false)
    clock = 7
    expect(tracker.stats('a')?.state).toBe('open')
    expect(tracker.isAvailable('a', 7)).toBe(false)
    expect(tracker.reopensAt('a', 7)).toBe(1006)
    expect(tracker.report(7)[0]).toMatchObject({ deploymentId: 'a', successes: 2, failures: 3, slow: 1, opens: 1 })
  })
})

describe('health tracker size', () => {
  test('stays bounded when clients name endless unlisted models; open circuits are kept', () => {
    const tracker = new HealthTracker(settings, () => 0)
    for (let call = 0; call < 3; call += 1) tracker.record('failing', { kind: 'failure', latencyMs: 1 }, 0, false)
    for (let index = 0; index < 12_000; index += 1)
      tracker.record(`openai/random-${index}`, { kind: 'success', latencyMs: 1, ttftMs: null }, 0, false)
    const report = tracker.report(0)
    expect(report.length).toBe(10_000)
    expect(tracker.state('failing', 0)).toBe('open')
    expect(tracker.stats('openai/random-0')).toBeUndefined()
    expect(tracker.stats('openai/random-11999')).toBeDefined()
  })
})
