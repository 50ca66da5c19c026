import type { MiddlewareHandler } from 'hono'
import { Hono } from 'hono'
import type { ApiKeyAuthenticator } from '../../accounts/api-key-authenticator.ts'
import { handlePlan, type PlanDeps } from '../../plan/handle-plan.ts'
import { parsePlanRequest } from '../../plan/parse-plan-request.ts'
import type { AppEnv } from '../app-env.ts'
import { apiKeyAuth } from '../middleware/api-key-auth.ts'
import { readJsonBody } from '../read-json-body.ts'
import { sendOutcome } from '../send-outcome.ts'
import { requestContext } from './data-plane-routes.ts'

/**
 * POST /v1/plan: multi-model orchestration. Keys need the `plan` scope (not in the default
 * scopes: a plan can make many calls), and plans pass the same rate-limit admission as the other
 * data-plane routes; the plan is one request to the limiter, finished with every step's tokens.
 */
export function planRoutes(deps: {
  plan: PlanDeps
  authenticator: ApiKeyAuthenticator
  outputMaxRepairs: number
  admission: MiddlewareHandler<AppEnv>
}): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.post('/plan', apiKeyAuth({ authenticator: deps.authenticator, scope: 'plan' }), deps.admission, async (c) => {
    const request = parsePlanRequest(await readJsonBody(c), { defaultMaxRepairs: deps.outputMaxRepairs })
    return sendOutcome(c, await handlePlan(request, requestContext(c, '/v1/plan'), deps.plan))
  })
  return app
}
