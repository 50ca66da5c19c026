import type { Context } from 'hono'
import { GatewayError } from '../../errors/gateway-error.ts'

/** `?limit=1..1000` (default 50) and `?before=<epoch ms>` for paging newest-first lists. */
export function readListQuery(c: Context): { limit: number; before?: number } {
  const limit = Number(c.req.query('limit') ?? '50')
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
    throw new GatewayError('invalid_request', '`limit` must be a whole number from 1 to 1000.', { param: 'limit' })
  }
  const beforeText = c.req.query('before')
  if (beforeText == null) return { limit }
  const before = Number(beforeText)
  if (!Number.isInteger(before) || before < 0)
    throw new GatewayError('invalid_request', '`before` must be a time in epoch milliseconds.', { param: 'before' })
  return { limit, before }
}
