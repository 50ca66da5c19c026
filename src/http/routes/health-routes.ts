import { Hono } from 'hono'
import type { HealthTracker } from '../../routing/health/health-tracker.ts'
import type { Store } from '../../store/store.ts'
import type { AppEnv } from '../app-env.ts'

/**
 * Liveness says the process answers; readiness says it can reach its database too. Readiness also
 * counts open circuits, for information only: a failing provider is no reason to take the gateway
 * out of a load balancer, since every replica would see the same provider.
 */
export function healthRoutes(deps: { store: Store; health?: HealthTracker; now?: () => number }): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.get('/healthz', (c) => c.json({ status: 'ok' }))
  app.get('/readyz', async (c) => {
    try {
      await deps.store.settings.get('readiness_probe')
      return c.json({ status: 'ready', database: deps.store.dialect, ...circuitSummary(deps) })
    } catch {
      return c.json({ status: 'unavailable', database: deps.store.dialect }, 503)
    }
  })
  return app
}

function circuitSummary(deps: { health?: HealthTracker; now?: () => number }): { deployments?: { known: number; open_circuits: number } } {
  if (deps.health == null) return {}
  const report = deps.health.report(deps.now?.() ?? Date.now())
  return { deployments: { known: report.length, open_circuits: report.filter((entry) => entry.state !== 'closed').length } }
}
