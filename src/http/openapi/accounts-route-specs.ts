import { z } from 'zod'
import { createUserSchema, creditSchema } from '../routes/admin-users-routes.ts'
import { signupSchema } from '../routes/signup-routes.ts'
import type { RouteSpec } from './route-spec.ts'

// Users, credits, the ledger and the audit log (src/accounts/, docs/money.md): the admin side, open
// sign-up, and single-key reads.

const list = z.looseObject({ object: z.literal('list'), data: z.array(z.looseObject({})) })
const user = z.looseObject({ id: z.string(), email: z.string() })
const key = z.looseObject({ id: z.string(), name: z.string(), key_prefix: z.string() })

export const accountsRouteSpecs: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/api/v1/admin/users',
    summary: 'Create a user (email, optional password: argon2id, never stored raw)',
    tag: 'admin',
    auth: 'admin_token',
    request: { json: createUserSchema },
    responses: { 201: { description: 'The user, balance 0.', json: user }, 409: { description: 'That email is taken.' } },
  },
  {
    method: 'get',
    path: '/api/v1/admin/users',
    summary: 'Every user with their balance',
    tag: 'admin',
    auth: 'admin_token',
    responses: { 200: { description: 'Users.', json: list } },
  },
  {
    method: 'get',
    path: '/api/v1/admin/users/{id}',
    summary: 'One user',
    tag: 'admin',
    auth: 'admin_token',
    responses: { 200: { description: 'The user.', json: user }, 404: { description: 'No such user.' } },
  },
  {
    method: 'post',
    path: '/api/v1/admin/credits',
    summary: 'Credit a user’s balance (idempotent per idempotency key); appends a ledger and an audit row',
    tag: 'admin',
    auth: 'admin_token',
    request: { json: creditSchema },
    responses: { 201: { description: 'Credited (or already credited).', json: z.looseObject({}) }, 404: { description: 'No such user.' } },
  },
  {
    method: 'get',
    path: '/api/v1/admin/ledger',
    summary: 'Ledger rows (charges and credits), newest first; append-only',
    tag: 'admin',
    auth: 'admin_token',
    responses: { 200: { description: 'Ledger rows.', json: list } },
  },
  {
    method: 'get',
    path: '/api/v1/admin/stats',
    summary: 'Gateway totals: users, keys, requests, spend',
    tag: 'admin',
    auth: 'admin_token',
    responses: { 200: { description: 'Totals.', json: z.looseObject({}) } },
  },
  {
    method: 'get',
    path: '/api/v1/admin/audit',
    summary: 'The audit log: actor, action, target, redacted before/after, request id; append-only',
    tag: 'admin',
    auth: 'admin_token',
    responses: { 200: { description: 'Audit rows.', json: list } },
  },
  {
    method: 'get',
    path: '/api/v1/admin/keys/{id}',
    summary: 'Any key (never its raw value)',
    tag: 'admin',
    auth: 'admin_token',
    responses: { 200: { description: 'The key.', json: key }, 404: { description: 'No such key.' } },
  },
  {
    method: 'get',
    path: '/api/v1/me/keys/{id}',
    summary: 'One of your keys (never its raw value); another user’s key is a 404',
    tag: 'management',
    auth: 'user',
    responses: { 200: { description: 'The key.', json: key }, 404: { description: 'No such key of yours.' } },
  },
  {
    method: 'post',
    path: '/api/v1/signup',
    summary: 'Open sign-up (only when SWITCHYARD_OPEN_SIGNUP=true)',
    tag: 'management',
    auth: 'none',
    request: { json: signupSchema },
    responses: { 201: { description: 'The new user.', json: user }, 403: { description: 'Sign-up is closed on this gateway.' } },
  },
]
