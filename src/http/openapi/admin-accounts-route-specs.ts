import { z } from 'zod'
import { userKeyView } from './management-route-specs.ts'
import type { RouteSpec } from './route-spec.ts'
import { errorEnvelope, listOf } from './shared-response-views.ts'

// The accounts module's admin routes (http/routes/admin-users-routes.ts, admin-keys-routes.ts) and
// open sign-up (signup-routes.ts).

const userView = z.object({
  id: z.string(),
  email: z.string(),
  balance_usd: z.number(),
  balance_micros: z.number().int(),
  created_at: z.string(),
})

export const adminAccountsRouteSpecs: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/api/v1/admin/keys/{id}',
    summary: 'One API key (never its raw value)',
    tag: 'admin',
    auth: 'admin_token',
    responses: { 200: { description: 'The key.', json: userKeyView }, 404: { description: 'No such key.', json: errorEnvelope } },
  },
  {
    method: 'post',
    path: '/api/v1/admin/users',
    summary: 'Create a user (with a password, the user can sign in on /device)',
    tag: 'admin',
    auth: 'admin_token',
    request: { json: z.strictObject({ email: z.string().min(3).max(320), password: z.string().min(8).max(1024).optional() }) },
    responses: {
      201: { description: 'The new user, with a zero balance.', json: userView },
      400: { description: 'Invalid email or a password under 8 characters.', json: errorEnvelope },
      409: { description: 'A user with that email exists.', json: errorEnvelope },
    },
  },
  {
    method: 'get',
    path: '/api/v1/admin/users',
    summary: 'List users with their balances',
    tag: 'admin',
    auth: 'admin_token',
    responses: { 200: { description: 'Every user.', json: listOf(userView) } },
  },
  {
    method: 'get',
    path: '/api/v1/admin/users/{id}',
    summary: 'One user with the balance',
    tag: 'admin',
    auth: 'admin_token',
    responses: { 200: { description: 'The user.', json: userView }, 404: { description: 'No such user.', json: errorEnvelope } },
  },
  {
    method: 'post',
    path: '/api/v1/admin/credits',
    summary: 'Credit a user’s balance (self-hosters without Stripe); an idempotency key applies it once',
    tag: 'admin',
    auth: 'admin_token',
    request: {
      json: z.strictObject({
        user_id: z.string().optional(),
        user_email: z.string().optional(),
        amount_usd: z.number().positive().max(1_000_000),
        note: z.string().min(1).max(500),
        idempotency_key: z.string().min(1).max(200).optional(),
      }),
    },
    responses: {
      201: {
        description: 'Credited.',
        json: z.object({
          user_id: z.string(),
          applied: z.boolean(),
          amount_usd: z.number(),
          balance_micros: z.number().int(),
          balance_usd: z.string(),
        }),
      },
      200: { description: 'Already applied with this idempotency key (`applied: false`).', json: z.looseObject({ applied: z.boolean() }) },
      404: { description: 'No such user.', json: errorEnvelope },
    },
  },
  {
    method: 'get',
    path: '/api/v1/admin/ledger',
    summary: 'The money ledger, newest first',
    tag: 'admin',
    auth: 'admin_token',
    request: { query: z.object({ limit: z.string().optional().describe('1–1000, default 50'), user_id: z.string().optional() }) },
    responses: {
      200: {
        description: 'Ledger entries (credits, charges).',
        json: listOf(
          z.object({
            id: z.string(),
            user_id: z.string(),
            key_id: z.string().nullable(),
            kind: z.enum(['charge', 'credit']),
            amount_micros: z.number().int(),
            balance_after_micros: z.number().int(),
            note: z.string(),
            actor: z.string(),
            request_id: z.string(),
            created_at: z.string(),
          }),
        ),
      },
    },
  },
  {
    method: 'get',
    path: '/api/v1/admin/stats',
    summary: 'Users, keys, and requests and spend over the last 30 days',
    tag: 'admin',
    auth: 'admin_token',
    responses: {
      200: {
        description: 'Counts and totals.',
        json: z.object({
          users: z.number().int(),
          keys: z.number().int(),
          active_keys: z.number().int(),
          last_30_days: z.object({ requests: z.number().int(), cost_micros: z.number().int(), cost_usd: z.string() }),
        }),
      },
    },
  },
  {
    method: 'get',
    path: '/api/v1/admin/audit',
    summary: 'The audit log of admin and user actions, newest first',
    tag: 'admin',
    auth: 'admin_token',
    request: { query: z.object({ limit: z.string().optional().describe('1–1000, default 50'), before: z.string().optional() }) },
    responses: {
      200: {
        description: 'Audit entries.',
        json: listOf(
          z.object({
            seq: z.number().int(),
            actor: z.string(),
            action: z.string(),
            target: z.string(),
            before: z.unknown(),
            after: z.unknown(),
            request_id: z.string(),
            created_at: z.string(),
          }),
        ),
      },
    },
  },
  {
    method: 'post',
    path: '/api/v1/signup',
    summary: 'Open sign-up (only when SWITCHYARD_OPEN_SIGNUP=true)',
    tag: 'management',
    auth: 'none',
    request: { json: z.strictObject({ email: z.string().min(3).max(320), password: z.string().min(8).max(1024) }) },
    responses: {
      201: { description: 'The new user.', json: userView },
      403: { description: 'Sign-up is closed on this gateway.', json: errorEnvelope },
    },
  },
]
