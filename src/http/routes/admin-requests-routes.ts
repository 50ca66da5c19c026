import { Hono } from 'hono'
import { microsToUsd } from '../../catalog/compute-cost.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { RequestLogRow, Store } from '../../store/store.ts'
import type { AppEnv } from '../app-env.ts'

/** `/api/v1/admin/requests`: the request log, newest first, and one request by id. */
export function adminRequestsRoutes(deps: { store: Store }): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  app.get('/requests', async (c) => {
    const limitText = c.req.query('limit') ?? '50'
    const limit = Number(limitText)
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      throw new GatewayError('invalid_request', '`limit` must be a whole number from 1 to 1000.', { param: 'limit' })
    }
    const keyId = c.req.query('key_id')
    const rows = await deps.store.requestLog.list({ limit, ...(keyId == null ? {} : { keyId }) })
    return c.json({ object: 'list', data: rows.map(viewRequest) })
  })

  app.get('/requests/:id', async (c) => {
    const row = await deps.store.requestLog.get(c.req.param('id'))
    if (row == null) throw new GatewayError('not_found', `No request with id \`${c.req.param('id')}\`.`, { param: 'id' })
    // The routing explanation (candidates, scores, constraints, choice, attempts), when routed.
    const routing = await deps.store.routing.explanations.get(row.requestId)
    return c.json({ ...viewRequest(row), routing: routing == null ? null : JSON.parse(routing) })
  })

  return app
}

export function viewRequest(row: RequestLogRow) {
  return {
    id: row.requestId,
    key_id: row.keyId,
    endpoint: row.endpoint,
    model: row.model,
    provider: row.provider,
    status: row.status,
    error_code: row.errorCode,
    stream: row.stream,
    usage: {
      input_tokens: row.inputTokens,
      output_tokens: row.outputTokens,
      cached_input_tokens: row.cachedInputTokens,
      reasoning_tokens: row.reasoningTokens,
    },
    cost_micros: row.costMicros,
    cost_usd: microsToUsd(row.costMicros),
    latency_ms: row.latencyMs,
    ttft_ms: row.ttftMs,
    created_at: new Date(row.createdAt).toISOString(),
  }
}
