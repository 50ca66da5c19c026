import { z } from 'zod'
import { chatRequestSchema } from '../../protocol/parse-chat-request.ts'
import { embeddingsRequestSchema } from '../../protocol/parse-embeddings-request.ts'
import { allScopes } from '../../store/store.ts'
import type { RouteSpec } from './route-spec.ts'
import { listOf, requestLogView } from './shared-response-views.ts'

// The core gateway's routes (issue 2): data plane, catalogue, health, admin keys and request log.

const usage = z.looseObject({
  prompt_tokens: z.number().int(),
  completion_tokens: z.number().int(),
  total_tokens: z.number().int(),
  cost: z.number().optional().describe('USD'),
})

const chatCompletion = z.looseObject({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.looseObject({
      index: z.number().int(),
      message: z.looseObject({ role: z.literal('assistant'), content: z.string().nullable() }),
      finish_reason: z.string().nullable(),
    }),
  ),
  usage: usage.optional(),
})

export const modelView = z.object({
  id: z.string(),
  object: z.literal('model'),
  created: z.number().int(),
  owned_by: z.string(),
  kind: z.string(),
  pricing: z
    .object({
      currency: z.literal('USD'),
      unit: z.literal('per_million_tokens'),
      input: z.number().nullable(),
      cached_input: z.number().nullable(),
      cache_write: z.number().nullable(),
      output: z.number().nullable(),
    })
    .nullable(),
  context_length: z.number().int().nullable(),
  max_output_tokens: z.number().int().nullable(),
  capabilities: z.array(z.string()),
  aliases: z.array(z.string()),
})

const adminKeyView = z.object({
  id: z.string(),
  name: z.string(),
  key_prefix: z.string(),
  scopes: z.array(z.enum(allScopes as [string, ...string[]])),
  created_at: z.string(),
  revoked_at: z.string().nullable(),
})

export const coreRouteSpecs: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/v1/chat/completions',
    summary: 'OpenAI Chat Completions (streaming with `stream: true`, as server-sent events)',
    tag: 'data plane',
    auth: 'api_key',
    request: { json: chatRequestSchema },
    responses: { 200: { description: 'The completion (JSON), or an SSE stream of chunks when `stream` is true.', json: chatCompletion } },
  },
  {
    method: 'post',
    path: '/v1/completions',
    summary: 'Legacy text completions, served through each model’s chat API',
    tag: 'data plane',
    auth: 'api_key',
    request: {
      json: z.looseObject({ model: z.string(), prompt: z.union([z.string(), z.array(z.string())]), stream: z.boolean().optional() }),
    },
    responses: {
      200: { description: 'A `text_completion` object, or an SSE stream.', json: z.looseObject({ object: z.literal('text_completion') }) },
    },
  },
  {
    method: 'post',
    path: '/v1/embeddings',
    summary: 'Embeddings',
    tag: 'data plane',
    auth: 'api_key',
    request: { json: embeddingsRequestSchema },
    responses: {
      200: { description: 'A list of embeddings.', json: z.looseObject({ object: z.literal('list'), data: z.array(z.looseObject({})) }) },
    },
  },
  {
    method: 'get',
    path: '/v1/models',
    summary: 'The model catalogue with pricing (USD per million tokens), context length and capabilities',
    tag: 'data plane',
    auth: 'api_key',
    responses: { 200: { description: 'Every model.', json: listOf(modelView) } },
  },
  {
    method: 'get',
    path: '/v1/models/{id}',
    summary: 'One model by id, alias or bare name',
    tag: 'data plane',
    auth: 'api_key',
    responses: { 200: { description: 'The model.', json: modelView } },
  },
  {
    method: 'get',
    path: '/healthz',
    summary: 'Liveness',
    tag: 'operations',
    auth: 'none',
    responses: { 200: { description: 'The process answers.', json: z.object({ status: z.literal('ok') }) } },
  },
  {
    method: 'get',
    path: '/readyz',
    summary: 'Readiness (the database answers, and Redis when configured)',
    tag: 'operations',
    auth: 'none',
    responses: {
      200: {
        description: 'Ready.',
        json: z.object({ status: z.string(), database: z.string(), redis: z.literal('ok').optional() }),
      },
      503: {
        description: 'The database, or Redis, does not answer within 1 s; `unavailable` names which.',
        json: z.object({
          status: z.string(),
          database: z.string(),
          redis: z.enum(['ok', 'unavailable']).optional(),
          unavailable: z.array(z.enum(['database', 'redis'])),
        }),
      },
    },
  },
  {
    method: 'post',
    path: '/api/v1/admin/keys',
    summary: 'Create an API key (the raw key is in this answer only)',
    tag: 'admin',
    auth: 'admin_token',
    request: {
      json: z.strictObject({ name: z.string().min(1).max(100), scopes: z.array(z.enum(allScopes as [string, ...string[]])).optional() }),
    },
    responses: { 201: { description: 'The new key.', json: adminKeyView.extend({ raw: z.string() }) } },
  },
  {
    method: 'get',
    path: '/api/v1/admin/keys',
    summary: 'List API keys (never their raw values)',
    tag: 'admin',
    auth: 'admin_token',
    responses: { 200: { description: 'Every key.', json: listOf(adminKeyView) } },
  },
  {
    method: 'delete',
    path: '/api/v1/admin/keys/{id}',
    summary: 'Revoke an API key; it stops working at once',
    tag: 'admin',
    auth: 'admin_token',
    responses: { 200: { description: 'The revoked key.', json: adminKeyView } },
  },
  {
    method: 'get',
    path: '/api/v1/admin/requests',
    summary: 'The request log, newest first',
    tag: 'admin',
    auth: 'admin_token',
    request: { query: z.object({ limit: z.string().optional().describe('1–1000, default 50'), key_id: z.string().optional() }) },
    responses: { 200: { description: 'Request-log rows.', json: listOf(requestLogView) } },
  },
  {
    method: 'get',
    path: '/api/v1/admin/requests/{id}',
    summary: 'One request-log row by request id',
    tag: 'admin',
    auth: 'admin_token',
    responses: { 200: { description: 'The row.', json: requestLogView } },
  },
]
