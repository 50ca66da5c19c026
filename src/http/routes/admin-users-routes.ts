import { Hono } from 'hono'
import { z } from 'zod'
import { newId } from '../../accounts/api-key-secret.ts'
import type { AuditRecorder } from '../../accounts/audit-recorder.ts'
import type { SpendLedger } from '../../accounts/money/spend-ledger.ts'
import type { UsersService } from '../../accounts/users-service.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import { validationError } from '../../protocol/validation-error.ts'
import type { AuditRow, Store } from '../../store/store.ts'
import type { AppEnv } from '../app-env.ts'
import { readJsonBody } from '../read-json-body.ts'
import { readListQuery } from './read-list-query.ts'

export const createUserSchema = z.strictObject({ email: z.string().trim().min(3).max(320), password: z.string().max(1024).optional() })

export const creditSchema = z.strictObject({
  user_id: z.string().min(1).optional(),
  user_email: z.string().min(1).optional(),
  amount_usd: z.number().finite().positive().max(1_000_000),
  note: z.string().trim().min(1, 'is required').max(500),
  /** Repeating a credit with the same key applies it once. */
  idempotency_key: z.string().trim().min(1).max(200).optional(),
})

/** `/api/v1/admin`: users, credits, the ledger, stats and the audit log. Mounted behind the admin token. */
export function adminUsersRoutes(deps: { store: Store; users: UsersService; ledger: SpendLedger; audit: AuditRecorder }): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.post('/users', async (c) => {
    const parsed = createUserSchema.safeParse(await readJsonBody(c))
    if (!parsed.success) throw validationError(parsed.error)
    return c.json(
      await deps.users.create({ ...parsed.data, password: parsed.data.password, actor: 'admin', requestId: c.get('requestId') }),
      201,
    )
  })
  app.get('/users', async (c) => c.json({ object: 'list', data: await deps.users.list() }))
  app.get('/users/:id', async (c) => {
    const user = await deps.users.get(c.req.param('id'))
    if (user == null) throw new GatewayError('not_found', `No user with id \`${c.req.param('id')}\`.`, { param: 'id' })
    return c.json(user)
  })

  app.post('/credits', async (c) => {
    const parsed = creditSchema.safeParse(await readJsonBody(c))
    if (!parsed.success) throw validationError(parsed.error)
    const body = parsed.data
    const user =
      body.user_id != null
        ? await deps.store.users.get(body.user_id)
        : body.user_email != null
          ? await deps.users.findByEmail(body.user_email)
          : undefined
    if (body.user_id == null && body.user_email == null)
      throw new GatewayError('invalid_request', 'Send `user_id` or `user_email`.', { param: 'user_id' })
    if (user == null) throw new GatewayError('not_found', 'No such user.', { param: body.user_id != null ? 'user_id' : 'user_email' })
    const amountMicros = Math.round(body.amount_usd * 1_000_000)
    const requestId = c.get('requestId')
    const idempotencyKey = body.idempotency_key == null ? newId('credit') : `admin:${body.idempotency_key}`
    const result = await deps.ledger.credit({ userId: user.id, amountMicros, note: body.note, idempotencyKey, actor: 'admin', requestId })
    if (result.applied) {
      await deps.audit.record({
        actor: 'admin',
        action: 'credit',
        target: user.id,
        after: { amount_micros: amountMicros, note: body.note, idempotency_key: idempotencyKey },
        requestId,
      })
    }
    return c.json(
      {
        user_id: user.id,
        applied: result.applied,
        amount_usd: body.amount_usd,
        balance_micros: result.balanceMicros,
        balance_usd: (result.balanceMicros / 1_000_000).toFixed(6),
      },
      result.applied ? 201 : 200,
    )
  })

  app.get('/ledger', async (c) => {
    const { limit } = readListQuery(c)
    const userId = c.req.query('user_id')
    const rows = await deps.store.money.ledger({ limit, ...(userId == null ? {} : { userId }) })
    return c.json({
      object: 'list',
      data: rows.map((row) => ({
        id: row.id,
        user_id: row.userId,
        key_id: row.keyId,
        kind: row.kind,
        amount_micros: row.amountMicros,
        balance_after_micros: row.balanceAfterMicros,
        note: row.note,
        actor: row.actor,
        request_id: row.requestId,
        created_at: new Date(row.createdAt).toISOString(),
      })),
    })
  })

  app.get('/stats', async (c) => {
    const [users, keys, groups] = await Promise.all([
      deps.store.users.list(),
      deps.store.apiKeys.list(),
      deps.store.usage.groups({ since: Date.now() - 30 * 86_400_000 }),
    ])
    const costMicros = groups.reduce((sum, group) => sum + group.costMicros, 0)
    return c.json({
      users: users.length,
      keys: keys.length,
      active_keys: keys.filter((key) => key.revokedAt == null).length,
      last_30_days: {
        requests: groups.reduce((sum, group) => sum + group.requests, 0),
        cost_micros: costMicros,
        cost_usd: (costMicros / 1_000_000).toFixed(6),
      },
    })
  })

  app.get('/audit', async (c) => {
    const { limit, before } = readListQuery(c)
    const rows = await deps.store.audit.list({ limit, ...(before == null ? {} : { before }) })
    return c.json({ object: 'list', data: rows.map(viewAudit) })
  })

  return app
}

function viewAudit(row: AuditRow) {
  return {
    seq: row.seq,
    actor: row.actor,
    action: row.action,
    target: row.target,
    before: row.before == null ? null : JSON.parse(row.before),
    after: row.after == null ? null : JSON.parse(row.after),
    request_id: row.requestId,
    created_at: new Date(row.createdAt).toISOString(),
  }
}
