import { Hono } from 'hono'
import { z } from 'zod'
import type { ApiKeyAuthenticator } from '../../accounts/api-key-authenticator.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { ExplanationRecord } from '../../pipeline/record-explanations.ts'
import type { ChatRouter } from '../../pipeline/route-chat-request.ts'
import { trivialExplanationFromRow } from '../../pipeline/trivial-explanation.ts'
import { parseChatRequest } from '../../protocol/parse-chat-request.ts'
import type { Store } from '../../store/store.ts'
import type { AppEnv } from '../app-env.ts'
import { apiKeyAuth } from '../middleware/api-key-auth.ts'
import { readJsonBody } from '../read-json-body.ts'

export const feedbackSchema = z.strictObject({
  request_id: z.string().min(1).max(200),
  score: z.number().min(0).max(1),
})

/**
 * `POST /v1/feedback` (a reward for a past request, feeding `thompson`) and
 * `POST /api/v1/route/preview` (the ranked candidates for a request, calling no model).
 */
export function routingRoutes(deps: { router: ChatRouter; store: Store; authenticator: ApiKeyAuthenticator }) {
  const feedback = new Hono<AppEnv>()
  feedback.post('/feedback', apiKeyAuth({ authenticator: deps.authenticator, scope: 'chat' }), async (c) => {
    const parsed = feedbackSchema.safeParse(await readJsonBody(c))
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const param = String(issue?.path[0] ?? 'body')
      throw new GatewayError('invalid_request', `Invalid \`${param}\`: ${issue?.message ?? 'invalid value'} (score is 0..1).`, { param })
    }
    const { request_id: requestId, score } = parsed.data
    const stored = await deps.store.routing.explanations.get(requestId)
    const explanation = stored != null ? (JSON.parse(stored) as ExplanationRecord) : await rebuiltExplanation(deps.store, requestId)
    // Another key's request is reported as unknown: request ids are not a way to probe traffic.
    if (explanation == null || explanation.answeredBy == null || explanation.keyId !== (c.get('apiKey')?.id ?? null)) {
      throw new GatewayError('not_found', `No answered request \`${requestId}\` for this key.`, { param: 'request_id' })
    }
    deps.router.recordFeedback(explanation, explanation.answeredBy, score)
    return c.json({ object: 'feedback', request_id: requestId, model: explanation.answeredBy, score, accepted: true })
  })

  const preview = new Hono<AppEnv>()
  preview.post('/route/preview', apiKeyAuth({ authenticator: deps.authenticator }), async (c) => {
    const body = (await readJsonBody(c)) as Record<string, unknown>
    const topN = body.top_n
    if (topN !== undefined && (typeof topN !== 'number' || !Number.isInteger(topN) || topN < 1 || topN > 100)) {
      throw new GatewayError('invalid_request', '`top_n` must be a whole number from 1 to 100.', { param: 'top_n' })
    }
    const { top_n: _ignored, ...chatBody } = body
    const routed = deps.router.route(parseChatRequest(chatBody), { policyHeader: c.req.header('x-switchyard-policy') })
    const { explanation } = routed
    const limit = typeof topN === 'number' ? topN : undefined
    return c.json({
      object: 'route.preview',
      model: explanation.chosen,
      order: explanation.order,
      reason: explanation.reason,
      policy: explanation.policy,
      mode: explanation.mode,
      tier: explanation.tier ?? null,
      classifier_score: explanation.classifierScore ?? null,
      estimate: explanation.estimate,
      constraints: explanation.constraints,
      candidates: limit == null ? explanation.candidates : explanation.candidates.slice(0, limit),
      rejected: explanation.rejected,
    })
  })
  return { feedback, preview }
}

/** An unrouted request stores no explanation (pipeline/trivial-explanation.ts): its log row has what feedback needs. */
async function rebuiltExplanation(store: Store, requestId: string) {
  const row = await store.requestLog.get(requestId)
  return row == null ? undefined : trivialExplanationFromRow(row)
}
