import { defaultRetrySettings, type RetrySettings } from '../pipeline/retry-policy.ts'
import { defaultHealthSettings, type HealthSettings } from '../routing/health/health-settings.ts'

export type ReliabilityConfig = { health: HealthSettings; retry: RetrySettings }

type Env = Readonly<Record<string, string | undefined>>

export class ReliabilityConfigError extends Error {
  override name = 'ConfigError'
}

/** Retry, failover and circuit-breaker settings from the environment; docs/reliability.md lists them. */
export function loadReliabilityConfig(env: Env, upstreamTimeoutMs: number): ReliabilityConfig {
  const read = (name: string, fallback: number, check: { min: number; max?: number; integer?: boolean }): number => {
    const text = env[name]?.trim()
    if (text == null || text === '') return fallback
    const value = Number(text)
    const valid =
      Number.isFinite(value) &&
      value >= check.min &&
      (check.max == null || value <= check.max) &&
      (check.integer !== true || Number.isInteger(value))
    if (!valid) {
      const range = check.max == null ? `at least ${check.min}` : `from ${check.min} to ${check.max}`
      throw new ReliabilityConfigError(
        `${name}: expected ${check.integer === true ? 'a whole number' : 'a number'} ${range}, got "${text}"`,
      )
    }
    return value
  }
  const retry = defaultRetrySettings
  const health = defaultHealthSettings
  return {
    retry: {
      maxAttempts: read('SWITCHYARD_RETRY_MAX_ATTEMPTS', retry.maxAttempts, { min: 1, max: 50, integer: true }),
      timeBudgetMs: read('SWITCHYARD_RETRY_TIME_BUDGET_MS', retry.timeBudgetMs, { min: 0, integer: true }),
      retriesPerDeployment: read('SWITCHYARD_RETRIES_PER_DEPLOYMENT', retry.retriesPerDeployment, { min: 0, max: 20, integer: true }),
      baseDelayMs: read('SWITCHYARD_RETRY_BASE_DELAY_MS', retry.baseDelayMs, { min: 0, integer: true }),
      maxDelayMs: read('SWITCHYARD_RETRY_MAX_DELAY_MS', retry.maxDelayMs, { min: 0, integer: true }),
      retryAfterCapMs: read('SWITCHYARD_RETRY_AFTER_CAP_MS', retry.retryAfterCapMs, { min: 0, integer: true }),
    },
    health: {
      failureThreshold: read('SWITCHYARD_CIRCUIT_FAILURE_THRESHOLD', health.failureThreshold, { min: 1, integer: true }),
      errorRateThreshold: read('SWITCHYARD_CIRCUIT_ERROR_RATE', health.errorRateThreshold, { min: 0.01, max: 1 }),
      minimumRequests: read('SWITCHYARD_CIRCUIT_MIN_REQUESTS', health.minimumRequests, { min: 1, integer: true }),
      windowMs: read('SWITCHYARD_CIRCUIT_WINDOW_MS', health.windowMs, { min: 100, integer: true }),
      cooldownMs: read('SWITCHYARD_CIRCUIT_COOLDOWN_MS', health.cooldownMs, { min: 1, integer: true }),
      slowThresholdMs: read('SWITCHYARD_SLOW_THRESHOLD_MS', health.slowThresholdMs, { min: 1, integer: true }),
      emaAlpha: health.emaAlpha,
      // A probe always settles within the upstream first-byte timeout; the lease only guards against a lost one.
      probeLeaseMs: upstreamTimeoutMs + 5_000,
      activeProbeIntervalMs: env.SWITCHYARD_ACTIVE_PROBE_INTERVAL_MS?.trim()
        ? read('SWITCHYARD_ACTIVE_PROBE_INTERVAL_MS', 0, { min: 10, integer: true })
        : health.activeProbeIntervalMs,
    },
  }
}
