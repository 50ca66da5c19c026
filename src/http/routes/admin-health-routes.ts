import { Hono } from 'hono'
import type { HealthTracker } from '../../routing/health/health-tracker.ts'
import type { AppEnv } from '../app-env.ts'

/** `GET /api/v1/admin/health`: every deployment this process has called, with its circuit and figures. */
export function adminHealthRoutes(deps: { health: HealthTracker; now: () => number }): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.get('/health', (c) => {
    const now = deps.now()
    const { settings } = deps.health
    return c.json({
      object: 'list',
      settings: {
        failure_threshold: settings.failureThreshold,
        error_rate_threshold: settings.errorRateThreshold,
        minimum_requests: settings.minimumRequests,
        window_ms: settings.windowMs,
        cooldown_ms: settings.cooldownMs,
        slow_threshold_ms: settings.slowThresholdMs,
      },
      data: deps.health.report(now).map((entry) => ({
        deployment_id: entry.deploymentId,
        state: entry.state,
        available: deps.health.isAvailable(entry.deploymentId, now),
        requests: entry.requests,
        successes: entry.successes,
        failures: entry.failures,
        slow_responses: entry.slow,
        success_rate: Math.round(entry.successRate * 10_000) / 10_000,
        latency_ema_ms: entry.latencyEmaMs,
        ttft_ema_ms: entry.ttftEmaMs,
        circuit_opens: entry.opens,
        probes: entry.probes,
        last_opened_at: toIso(entry.lastOpenedAt),
        next_probe_at: toIso(entry.reopensAt),
        rate_limited_until: toIso(entry.rateLimitedUntil),
      })),
    })
  })
  return app
}

function toIso(time: number | null): string | null {
  return time == null ? null : new Date(time).toISOString()
}
