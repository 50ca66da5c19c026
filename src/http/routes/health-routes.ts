import { Hono } from 'hono'
import type { Store } from '../../store/store.ts'
import type { AppEnv } from '../app-env.ts'

/** Liveness says the process answers; readiness says it can reach its database too. */
export function healthRoutes(deps: { store: Store }): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.get('/healthz', (c) => c.json({ status: 'ok' }))
  app.get('/readyz', async (c) => {
    try {
      await deps.store.settings.get('readiness_probe')
      return c.json({ status: 'ready', database: deps.store.dialect })
    } catch {
      return c.json({ status: 'unavailable', database: deps.store.dialect }, 503)
    }
  })
  return app
}
