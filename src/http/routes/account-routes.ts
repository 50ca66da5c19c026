import { Hono } from 'hono'
import type { ApiKeyAuthenticator } from '../../accounts/api-key-authenticator.ts'
import type { ApiKeyService } from '../../accounts/api-key-service.ts'
import type { SpendLedger } from '../../accounts/money/spend-ledger.ts'
import type { SessionAuthenticator } from '../../accounts/session-authenticator.ts'
import { summarizeUsage } from '../../accounts/usage-summary.ts'
import type { UsersService } from '../../accounts/users-service.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { Store } from '../../store/store.ts'
import type { AppEnv } from '../app-env.ts'
import { parseKeyCreateBody, toNewApiKey } from '../key-create-schema.ts'
import { accountAuth } from '../middleware/account-auth.ts'
import { readJsonBody } from '../read-json-body.ts'
import { viewRequest, viewRequestInFull } from './admin-requests-routes.ts'
import { readListQuery } from './read-list-query.ts'

const dayMs = 86_400_000

/**
 * The management API (`/api/v1`, PRODUCT §5), acting for one user. Every object id is looked up
 * within that user's objects only: someone else's key or request is a 404, exactly like one that
 * does not exist, so ids cannot be probed.
 */
export function accountRoutes(deps: {
  store: Store
  authenticator: ApiKeyAuthenticator
  sessions: SessionAuthenticator | undefined
  apiKeys: ApiKeyService
  users: UsersService
  ledger: SpendLedger
  now: () => number
}): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const auth = accountAuth({ authenticator: deps.authenticator, sessions: deps.sessions })
  const userIdOf = (principal: AppEnv['Variables']['principal']) => {
    if (principal == null) throw new GatewayError('invalid_api_key', 'Not signed in.')
    return principal.userId
  }
  const actorOf = (principal: AppEnv['Variables']['principal']) => `user:${principal?.userId}:${principal?.via}:${principal?.credentialId}`

  app.get('/me', auth, async (c) => {
    const user = await deps.users.get(userIdOf(c.get('principal')))
    if (user == null) throw new GatewayError('not_found', 'Your user no longer exists.')
    return c.json({ ...user, status: 'active', auth: c.get('principal')?.via })
  })

  app.get('/balance', auth, async (c) => {
    const { balanceMicros, reservedMicros } = await deps.ledger.balance(userIdOf(c.get('principal')))
    return c.json({
      balance_usd: (balanceMicros / 1_000_000).toFixed(6),
      currency: 'USD',
      balance_micros: balanceMicros,
      reserved_micros: reservedMicros,
    })
  })

  app.get('/me/keys', auth, async (c) =>
    c.json({ object: 'list', data: await deps.apiKeys.list({ userId: userIdOf(c.get('principal')) }) }),
  )

  app.post('/me/keys', auth, async (c) => {
    const principal = c.get('principal')
    const body = parseKeyCreateBody(await readJsonBody(c))
    if (body.user_id != null || body.user_email != null) {
      throw new GatewayError('invalid_request', 'Keys created here belong to you; `user_id` and `user_email` are for admins.', {
        param: 'user_id',
      })
    }
    const created = await deps.apiKeys.create(toNewApiKey(body, userIdOf(principal), deps.now()), {
      actor: actorOf(principal),
      requestId: c.get('requestId'),
    })
    return c.json(created, 201)
  })

  app.get('/me/keys/:id', auth, async (c) => c.json(await deps.apiKeys.get(c.req.param('id'), userIdOf(c.get('principal')))))

  app.delete('/me/keys/:id', auth, async (c) => {
    const principal = c.get('principal')
    return c.json(
      await deps.apiKeys.revoke(c.req.param('id'), {
        actor: actorOf(principal),
        requestId: c.get('requestId'),
        ownerId: userIdOf(principal),
      }),
    )
  })

  app.get('/usage', auth, async (c) => {
    const daysText = c.req.query('days') ?? '30'
    const days = Number(daysText)
    if (!Number.isInteger(days) || days < 1 || days > 365) {
      throw new GatewayError('invalid_request', '`days` must be a whole number from 1 to 365.', { param: 'days' })
    }
    const groups = await deps.store.usage.groups({ since: deps.now() - days * dayMs, userId: userIdOf(c.get('principal')) })
    return c.json(summarizeUsage(groups, days))
  })

  app.get('/requests', auth, async (c) => {
    const query = readListQuery(c)
    const rows = await deps.store.requestLog.list({ ...query, userId: userIdOf(c.get('principal')) })
    return c.json({ object: 'list', data: rows.map(viewRequest) })
  })

  app.get('/requests/:id', auth, async (c) => {
    const id = c.req.param('id')
    const row = await deps.store.requestLog.get(id)
    const key = row?.keyId == null ? undefined : await deps.store.apiKeys.get(row.keyId)
    if (row == null || key == null || key.userId !== userIdOf(c.get('principal'))) {
      throw new GatewayError('not_found', `No request with id \`${id}\`.`, { param: 'id' })
    }
    // As the admin view: a plan's steps (model, tokens, cost, latency, excerpt) and the routing explanation.
    return c.json(await viewRequestInFull(deps.store, row))
  })

  return app
}
