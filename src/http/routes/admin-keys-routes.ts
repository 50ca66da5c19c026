import { Hono } from 'hono'
import type { ApiKeyService } from '../../accounts/api-key-service.ts'
import type { UsersService } from '../../accounts/users-service.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { AppEnv } from '../app-env.ts'
import { parseKeyCreateBody, toNewApiKey } from '../key-create-schema.ts'
import { readJsonBody } from '../read-json-body.ts'

/** `/api/v1/admin/keys`: every user's keys. Mounted behind the admin token. */
export function adminKeysRoutes(deps: { apiKeys: ApiKeyService; users: UsersService; now: () => number }): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.post('/keys', async (c) => {
    const body = parseKeyCreateBody(await readJsonBody(c))
    let userId = body.user_id
    if (userId == null && body.user_email != null) {
      const user = await deps.users.findByEmail(body.user_email)
      if (user == null) throw new GatewayError('not_found', `No user with the email ${body.user_email}.`, { param: 'user_email' })
      userId = user.id
    }
    if (userId == null) {
      throw new GatewayError('invalid_request', 'Every key belongs to a user: send `user_id` or `user_email`.', { param: 'user_id' })
    }
    const created = await deps.apiKeys.create(toNewApiKey(body, userId, deps.now()), { actor: 'admin', requestId: c.get('requestId') })
    return c.json(created, 201)
  })
  app.get('/keys', async (c) => {
    const userId = c.req.query('user_id')
    return c.json({ object: 'list', data: await deps.apiKeys.list(userId == null ? {} : { userId }) })
  })
  app.get('/keys/:id', async (c) => c.json(await deps.apiKeys.get(c.req.param('id'))))
  app.delete('/keys/:id', async (c) =>
    c.json(await deps.apiKeys.revoke(c.req.param('id'), { actor: 'admin', requestId: c.get('requestId') })),
  )
  return app
}
