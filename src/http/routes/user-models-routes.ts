import { Hono } from 'hono'
import type { Catalog } from '../../catalog/catalog.ts'
import type { AppEnv } from '../app-env.ts'
import { authenticateUser, type UserAuthDeps } from '../middleware/authenticate-user.ts'
import { describeModel } from './models-routes.ts'

/** `/api/v1/models`: the catalogue for a signed-in user (session or manage key), who may hold no data-plane key yet. */
export function userModelsRoutes(deps: { catalog: Catalog; createdAt: number; userAuth: UserAuthDeps }): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const listBody = JSON.stringify({ object: 'list', data: deps.catalog.models.map((model) => describeModel(model, deps.createdAt)) })
  app.get('/models', async (c) => {
    await authenticateUser(deps.userAuth, c)
    return c.body(listBody, 200, { 'content-type': 'application/json' })
  })
  return app
}
