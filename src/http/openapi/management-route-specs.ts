import { z } from 'zod'
import type { RouteSpec } from './route-spec.ts'

// PRODUCT §5's user endpoints, written by the agent branch from the spec so the CLI and MCP have a
// documented contract. They are served by the accounts (and limits) branches: at merge, add
// `managementRouteSpecs` to all-route-specs.ts and adjust any shape that differs from what they
// built (the discovery test compares the document with the served routes in both directions).

const userKey = z.looseObject({
  id: z.string(),
  name: z.string(),
  key_prefix: z.string(),
  scopes: z.array(z.string()).optional(),
  created_at: z.string(),
  revoked_at: z.string().nullable().optional(),
})

export const managementRouteSpecs: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/api/v1/me',
    summary: 'The signed-in user',
    tag: 'management',
    auth: 'user',
    responses: {
      200: { description: 'The user.', json: z.looseObject({ id: z.string(), email: z.string(), balance_usd: z.string().optional() }) },
    },
  },
  {
    method: 'get',
    path: '/api/v1/balance',
    summary: 'The account balance',
    tag: 'management',
    auth: 'user',
    responses: { 200: { description: 'Balance.', json: z.looseObject({ balance_usd: z.string(), currency: z.literal('USD') }) } },
  },
  {
    method: 'get',
    path: '/api/v1/me/keys',
    summary: 'Your API keys (never their raw values)',
    tag: 'management',
    auth: 'user',
    responses: { 200: { description: 'Keys.', json: z.object({ object: z.literal('list'), data: z.array(userKey) }) } },
  },
  {
    method: 'post',
    path: '/api/v1/me/keys',
    summary: 'Create an API key (the raw key is in this answer only)',
    tag: 'management',
    auth: 'user',
    request: { json: z.looseObject({ name: z.string().min(1).max(100) }) },
    responses: { 201: { description: 'The new key.', json: userKey.extend({ raw: z.string() }) } },
  },
  {
    method: 'delete',
    path: '/api/v1/me/keys/{id}',
    summary: 'Revoke one of your API keys',
    tag: 'management',
    auth: 'user',
    responses: { 200: { description: 'The revoked key.', json: userKey } },
  },
  {
    method: 'get',
    path: '/api/v1/usage',
    summary: 'Spend and tokens over the last N days (successful requests)',
    tag: 'management',
    auth: 'user',
    request: { query: z.object({ days: z.string().optional().describe('1–365') }) },
    responses: {
      200: {
        description: 'Usage summary.',
        json: z.looseObject({
          range_days: z.number().int(),
          total_requests: z.number().int(),
          total_tokens_in: z.number().int(),
          total_tokens_out: z.number().int(),
          total_cost_usd: z.string(),
        }),
      },
    },
  },
  {
    method: 'get',
    path: '/api/v1/requests',
    summary: 'Your request log, newest first',
    tag: 'management',
    auth: 'user',
    responses: { 200: { description: 'Requests.', json: z.looseObject({ data: z.array(z.looseObject({ id: z.string() })) }) } },
  },
  {
    method: 'get',
    path: '/api/v1/requests/{id}',
    summary: 'One past request explained: candidates, scores, choice, attempts, tokens, cost, latency',
    tag: 'management',
    auth: 'user',
    responses: { 200: { description: 'The request.', json: z.looseObject({ id: z.string() }) } },
  },
]
