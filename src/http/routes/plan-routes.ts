import { Hono } from 'hono'
import type { ApiKeyAuthenticator } from '../../accounts/api-key-authenticator.ts'
import { handlePlan, type PlanDeps } from '../../plan/handle-plan.ts'
import { parsePlanRequest } from '../../plan/parse-plan-request.ts'
import type { AppEnv } from '../app-env.ts'
import { apiKeyAuth } from '../middleware/api-key-auth.ts'
import { readJsonBody } from '../read-json-body.ts'
import { sendOutcome } from '../send-outcome.ts'

/**
 * POST /v1/plan: multi-model orchestration. Any valid key may call it for now; once accounts
 * lands, keys need the `plan` scope (pass `scope: 'plan'` below — keys are created with chat and
 * embeddings by default, so doing it now would lock every existing key out).
 */
export function planRoutes(deps: { plan: PlanDeps; authenticator: ApiKeyAuthenticator; outputMaxRepairs: number }): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.post('/plan', apiKeyAuth({ authenticator: deps.authenticator }), async (c) => {
    const request = parsePlanRequest(await readJsonBody(c), { defaultMaxRepairs: deps.outputMaxRepairs })
    const context = {
      requestId: c.get('requestId'),
      keyId: c.get('apiKey')?.id ?? null,
      endpoint: '/v1/plan',
      signal: c.req.raw.signal,
      startedAt: c.get('startedAt'),
    }
    return sendOutcome(c, await handlePlan(request, context, deps.plan))
  })
  return app
}
