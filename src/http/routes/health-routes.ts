import { Hono } from 'hono'
import type { HealthTracker } from '../../routing/health/health-tracker.ts'
import type { Store } from '../../store/store.ts'
import { withDeadline } from '../../util/with-deadline.ts'
import type { AppEnv } from '../app-env.ts'

export type HealthRoutesDeps = {
  store: Pick<Store, 'dialect' | 'settings'>
  /** Set when Redis is configured: every replica counts its rate limits there, so it is needed to serve. */
  pingRedis?: () => Promise<unknown>
  health?: HealthTracker
  now?: () => number
  /** Longest wait for each dependency's answer; a probe never hangs. Default 1000. */
  probeTimeoutMs?: number
}

/**
 * Liveness says the process answers; readiness says it can reach its database, and Redis when one
 * is configured (the data plane answers 503 without it), asking both at once. A 503 names what is
 * down in `unavailable`. Readiness also counts open circuits, for information only: a failing
 * provider is no reason to take the gateway out of a load balancer, since every replica would see
 * the same provider.
 */
export function healthRoutes(deps: HealthRoutesDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const timeoutMs = deps.probeTimeoutMs ?? 1000
  const answers = (probe: () => Promise<unknown>) =>
    withDeadline(probe(), timeoutMs).then(
      () => true,
      () => false,
    )
  app.get('/healthz', (c) => c.json({ status: 'ok' }))
  app.get('/readyz', async (c) => {
    const { pingRedis } = deps
    const [database, redis] = await Promise.all([
      answers(() => deps.store.settings.get('readiness_probe')),
      pingRedis == null ? undefined : answers(pingRedis),
    ])
    const dependencies = { database: deps.store.dialect, ...(redis == null ? {} : { redis: redis ? 'ok' : 'unavailable' }) }
    if (database && redis !== false) return c.json({ status: 'ready', ...dependencies, ...circuitSummary(deps) })
    const unavailable = [...(database ? [] : ['database']), ...(redis === false ? ['redis'] : [])]
    return c.json({ status: 'unavailable', ...dependencies, unavailable }, 503)
  })
  return app
}

function circuitSummary(deps: { health?: HealthTracker; now?: () => number }): { deployments?: { known: number; open_circuits: number } } {
  if (deps.health == null) return {}
  const report = deps.health.report(deps.now?.() ?? Date.now())
  return { deployments: { known: report.length, open_circuits: report.filter((entry) => entry.state !== 'closed').length } }
}
