import { z } from 'zod'
import { keyCreateSchema } from '../key-create-schema.ts'
import type { RouteSpec } from './route-spec.ts'
import { errorEnvelope, listOf, requestLogView } from './shared-response-views.ts'

// PRODUCT §5's user endpoints (http/routes/account-routes.ts), acting for the caller: a device-flow
// session token or a key with the `manage` scope. The CLI and the MCP tools print these bodies as
// they are (docs/cli.md), so these shapes are also the CLI's `--json` contract.

export const userKeyView = z.object({
  id: z.string(),
  name: z.string(),
  key_prefix: z.string().describe('the first characters of the raw key, to recognise it'),
  scopes: z.array(z.string()),
  user_id: z.string().nullable(),
  limit_usd: z.number().nullable(),
  monthly_budget_usd: z.number().nullable(),
  rate_limits: z.object({
    burst_rps: z.number().nullable(),
    requests_per_minute: z.number().nullable(),
    tokens_per_minute: z.number().nullable(),
    max_concurrent: z.number().nullable(),
  }),
  allowed_models: z.array(z.string()),
  expires_at: z.string().nullable(),
  created_at: z.string(),
  revoked_at: z.string().nullable(),
})

const usageTotals = {
  requests: z.number().int(),
  tokens_in: z.number().int(),
  tokens_out: z.number().int(),
  cost_micros: z.number().int(),
  cost_usd: z.string(),
}

const notFound = { description: 'No such object among yours (another user’s is the same 404).', json: errorEnvelope }

export const managementRouteSpecs: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/api/v1/me',
    summary: 'The signed-in user, with the balance',
    tag: 'management',
    auth: 'user',
    responses: {
      200: {
        description: 'The user. `auth` says which credential was used.',
        json: z.object({
          id: z.string(),
          email: z.string(),
          balance_usd: z.number(),
          balance_micros: z.number().int(),
          created_at: z.string(),
          status: z.literal('active'),
          auth: z.enum(['session', 'key']),
        }),
      },
    },
  },
  {
    method: 'get',
    path: '/api/v1/balance',
    summary: 'The account balance',
    tag: 'management',
    auth: 'user',
    responses: {
      200: {
        description: 'Balance; `reserved_micros` is held by requests in flight.',
        json: z.object({
          balance_usd: z.string().describe('six decimals'),
          currency: z.literal('USD'),
          balance_micros: z.number().int(),
          reserved_micros: z.number().int(),
        }),
      },
    },
  },
  {
    method: 'get',
    path: '/api/v1/me/keys',
    summary: 'Your API keys (never their raw values)',
    tag: 'management',
    auth: 'user',
    responses: {
      200: { description: 'Keys, revoked ones included.', json: listOf(userKeyView) },
    },
  },
  {
    method: 'post',
    path: '/api/v1/me/keys',
    summary: 'Create an API key (the raw key is in this answer only)',
    tag: 'management',
    auth: 'user',
    request: { json: keyCreateSchema.omit({ user_id: true, user_email: true }) },
    responses: {
      201: { description: 'The new key; scopes default to chat and embeddings.', json: userKeyView.extend({ raw: z.string() }) },
      400: { description: 'Invalid body.', json: errorEnvelope },
    },
  },
  {
    method: 'get',
    path: '/api/v1/me/keys/{id}',
    summary: 'One of your API keys',
    tag: 'management',
    auth: 'user',
    responses: { 200: { description: 'The key.', json: userKeyView }, 404: notFound },
  },
  {
    method: 'delete',
    path: '/api/v1/me/keys/{id}',
    summary: 'Revoke one of your API keys; it stops working at once',
    tag: 'management',
    auth: 'user',
    responses: { 200: { description: 'The revoked key (`revoked_at` set).', json: userKeyView }, 404: notFound },
  },
  {
    method: 'get',
    path: '/api/v1/usage',
    summary: 'Spend and tokens over the last N days (successful requests)',
    tag: 'management',
    auth: 'user',
    request: { query: z.object({ days: z.string().optional().describe('1–365, default 30') }) },
    responses: {
      200: {
        description: 'Usage summary, with breakdowns by day, model and key.',
        json: z.object({
          range_days: z.number().int(),
          total_requests: z.number().int(),
          total_tokens_in: z.number().int(),
          total_tokens_out: z.number().int(),
          total_cost_micros: z.number().int(),
          total_cost_usd: z.string(),
          per_day: z.array(z.object({ day: z.string(), ...usageTotals })),
          per_model: z.array(z.object({ model: z.string(), ...usageTotals })),
          per_key: z.array(z.object({ key_id: z.string(), ...usageTotals })),
        }),
      },
      400: { description: '`days` is not a whole number from 1 to 365.', json: errorEnvelope },
    },
  },
  {
    method: 'get',
    path: '/api/v1/requests',
    summary: 'Your request log, newest first',
    tag: 'management',
    auth: 'user',
    request: {
      query: z.object({
        limit: z.string().optional().describe('1–1000, default 50'),
        before: z.string().optional().describe('epoch milliseconds: only older requests (paging)'),
      }),
    },
    responses: {
      200: { description: 'Requests made with your keys.', json: listOf(requestLogView) },
    },
  },
  {
    method: 'get',
    path: '/api/v1/requests/{id}',
    summary: 'One of your past requests explained: candidates, scores, choice, attempts, tokens, cost, latency',
    tag: 'management',
    auth: 'user',
    responses: {
      200: {
        description: 'The request; `routing` is the routing explanation (null when none was recorded), `steps` the /v1/plan steps.',
        json: requestLogView.extend({ routing: z.looseObject({}).nullable(), steps: z.array(requestLogView).optional() }),
      },
      404: notFound,
    },
  },
]
