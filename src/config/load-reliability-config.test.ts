import { describe, expect, test } from 'bun:test'
import { loadConfig } from './load-config.ts'

describe('reliability settings', () => {
  test('defaults, overrides, and the probe lease follows the upstream timeout', () => {
    const defaults = loadConfig({ env: {}, cwd: '/nonexistent' }).reliability
    expect(defaults.retry).toEqual({
      maxAttempts: 5,
      timeBudgetMs: 60_000,
      retriesPerDeployment: 1,
      baseDelayMs: 200,
      maxDelayMs: 4_000,
      retryAfterCapMs: 5_000,
    })
    expect(defaults.health.activeProbeIntervalMs).toBeNull()
    const tuned = loadConfig({
      env: {
        SWITCHYARD_RETRIES_PER_DEPLOYMENT: '0',
        SWITCHYARD_CIRCUIT_ERROR_RATE: '0.25',
        SWITCHYARD_CIRCUIT_COOLDOWN_MS: '500',
        SWITCHYARD_ACTIVE_PROBE_INTERVAL_MS: '1000',
        SWITCHYARD_UPSTREAM_TIMEOUT_MS: '2000',
      },
      cwd: '/nonexistent',
    }).reliability
    expect(tuned.retry.retriesPerDeployment).toBe(0)
    expect(tuned.health).toMatchObject({ errorRateThreshold: 0.25, cooldownMs: 500, activeProbeIntervalMs: 1000, probeLeaseMs: 7000 })
  })

  test('a bad value stops start-up naming the variable and the allowed range', () => {
    expect(() => loadConfig({ env: { SWITCHYARD_RETRY_MAX_ATTEMPTS: '0' }, cwd: '/nonexistent' })).toThrow(
      /SWITCHYARD_RETRY_MAX_ATTEMPTS: expected a whole number from 1 to 50, got "0"/,
    )
    expect(() => loadConfig({ env: { SWITCHYARD_CIRCUIT_ERROR_RATE: '2' }, cwd: '/nonexistent' })).toThrow(/SWITCHYARD_CIRCUIT_ERROR_RATE/)
    expect(() => loadConfig({ env: { SWITCHYARD_CIRCUIT_COOLDOWN_MS: 'soon' }, cwd: '/nonexistent' })).toThrow(
      /SWITCHYARD_CIRCUIT_COOLDOWN_MS/,
    )
    expect(() => loadConfig({ env: { SWITCHYARD_ACTIVE_PROBE_INTERVAL_MS: '1.5' }, cwd: '/nonexistent' })).toThrow(
      /SWITCHYARD_ACTIVE_PROBE_INTERVAL_MS/,
    )
  })
})
