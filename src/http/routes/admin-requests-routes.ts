import { Hono } from 'hono'
import { viewRequestUsage } from '../../accounts/request-usage-view.ts'
import { microsToUsd } from '../../catalog/compute-cost.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import { trivialExplanationFromRow } from '../../pipeline/trivial-explanation.ts'
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
    return c.json(await viewRequestInFull(deps.store, row))
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
    ...viewRequestUsage(row),
    ttft_ms: row.ttftMs,
    created_at: new Date(row.createdAt).toISOString(),
    ...(row.parentRequestId == null
      ? {}
      : { parent_request_id: row.parentRequestId, step_index: row.stepIndex ?? null, step_role: row.stepRole ?? null }),
    ...(row.outputExcerpt == null ? {} : { output_excerpt: row.outputExcerpt }),
  }
}

/**
 * One request as the admin and the user's management API show it: the row, a plan's steps (each
 * with its own routing explanation), and the routing explanation (candidates, scores,
 * constraints, choice, attempts) when it was routed. A management read, not the hot path.
 */
/**
 * One request as `GET /api/v1/requests/{id}` (user) and the admin route show it: the log row, its
 * /v1/plan steps, and the routing explanations (candidates, scores, constraints, choice, attempts).
 */
export async function viewRequestInFull(store: Store, row: RequestLogRow) {
  // An unrouted request (one named model, nothing failed) stores no explanation: it is rebuilt.
  const explanationOf = async (logged: RequestLogRow) => {
    const routing = await store.routing.explanations.get(logged.requestId)
    return routing == null ? (trivialExplanationFromRow(logged) ?? null) : (JSON.parse(routing) as unknown)
  }
  const steps = await store.requestLog.listSteps(row.requestId)
  const routing = await explanationOf(row)
  if (steps.length === 0) return { ...viewRequest(row), routing }
  const view = viewRequestWithSteps(row, steps)
  const stepRouting = await Promise.all(steps.map((step) => explanationOf(step)))
  return { ...view, steps: view.steps.map((step, index) => ({ ...step, routing: stepRouting[index] ?? null })), routing }
}

/**
 * A multi-call request (/v1/plan) with each step (model, tokens, cost, latency, output excerpt)
 * and the totals. The money is on the step rows, so the totals are their sums.
 */
export function viewRequestWithSteps(row: RequestLogRow, steps: readonly RequestLogRow[]) {
  const sum = (pick: (step: RequestLogRow) => number) => steps.reduce((total, step) => total + pick(step), 0)
  const costMicros = sum((step) => step.costMicros)
  return {
    ...viewRequest(row),
    usage: {
      input_tokens: sum((step) => step.inputTokens),
      output_tokens: sum((step) => step.outputTokens),
      cached_input_tokens: sum((step) => step.cachedInputTokens),
      reasoning_tokens: sum((step) => step.reasoningTokens),
    },
    cost_micros: costMicros,
    cost_usd: microsToUsd(costMicros),
    steps: steps.map(viewRequest),
  }
}
