import { Hono } from 'hono'
import { z } from 'zod'
import type { ApiKeyService } from '../../accounts/api-key-service.ts'
import { validationError } from '../../protocol/validation-error.ts'
import { allScopes } from '../../store/store.ts'
import type { AppEnv } from '../app-env.ts'
import { readJsonBody } from '../read-json-body.ts'

const createKeySchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(100),
  scopes: z.array(z.enum(allScopes as [string, ...string[]])).optional(),
})

/** `/api/v1/admin/keys`: create, list, revoke. Mounted behind the admin token. */
export function adminKeysRoutes(deps: { apiKeys: ApiKeyService }): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.post('/keys', async (c) => {
    const parsed = createKeySchema.safeParse(await readJsonBody(c))
    if (!parsed.success) throw validationError(parsed.error)
    const scopes = (parsed.data.scopes ?? ['chat', 'embeddings']) as (typeof allScopes)[number][]
    return c.json(await deps.apiKeys.create({ name: parsed.data.name, scopes }), 201)
  })

  app.get('/keys', async (c) => c.json({ object: 'list', data: await deps.apiKeys.list() }))

  app.delete('/keys/:id', async (c) => c.json(await deps.apiKeys.revoke(c.req.param('id'))))

  return app
}
