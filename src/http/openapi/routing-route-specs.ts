import { z } from 'zod'
import { chatRequestSchema } from '../../protocol/parse-chat-request.ts'
import { tokenHubChatSchema } from '../../protocol/tokenhub-chat.ts'
import { adminModelSchema } from '../../registry/live-registry.ts'
import { modelPatchSchema, providerCreateSchema, providerPatchSchema } from '../routes/admin-registry-routes.ts'
import { feedbackSchema } from '../routes/routing-routes.ts'
import type { RouteSpec } from './route-spec.ts'

// Routing (docs/routing.md): TokenHub's /v1/chat, feedback for the bandit, route preview, and the
// registry's admin API.

const list = z.looseObject({ object: z.literal('list'), data: z.array(z.looseObject({})) })
const entry = z.looseObject({ id: z.string() })
const idParameter = 'The model (`provider/model`) or provider id.'

/**
 * The registry's admin API is the same four routes for models and for providers
 * (http/routes/admin-registry-routes.ts): list, create, update by id, disable by id.
 */
function registryAdminSpecs(registry: {
  collection: 'models' | 'providers'
  noun: string
  listSummary: string
  createSummary: string
  updateSummary: string
  disableSummary: string
  createSchema: z.ZodType
  patchSchema: z.ZodType
}): RouteSpec[] {
  const path = `/api/v1/admin/${registry.collection}`
  const notFound = { description: `No such ${registry.noun}.` }
  return [
    {
      method: 'get',
      path,
      summary: registry.listSummary,
      tag: 'admin',
      auth: 'admin_token',
      responses: { 200: { description: `${registry.collection[0]?.toUpperCase()}${registry.collection.slice(1)}.`, json: list } },
    },
    {
      method: 'post',
      path,
      summary: registry.createSummary,
      tag: 'admin',
      auth: 'admin_token',
      request: { json: registry.createSchema },
      responses: {
        201: { description: 'Created.', json: entry },
        400: { description: `Invalid ${registry.noun} (the error names the field).` },
      },
    },
    {
      method: 'patch',
      path: `${path}/{id}`,
      summary: registry.updateSummary,
      description: idParameter,
      tag: 'admin',
      auth: 'admin_token',
      request: { json: registry.patchSchema },
      responses: { 200: { description: 'Updated.', json: entry }, 404: notFound },
    },
    {
      method: 'delete',
      path: `${path}/{id}`,
      summary: registry.disableSummary,
      description: idParameter,
      tag: 'admin',
      auth: 'admin_token',
      responses: { 200: { description: 'Disabled.', json: entry }, 404: notFound },
    },
  ]
}

export const routingRouteSpecs: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/v1/chat',
    summary: "TokenHub's routed chat: {request, policy, output_format} → {negotiated_model, estimated_cost_usd, routing_reason, response}",
    description:
      '`request.meta` never reaches a provider. With `request.stream: true` the answer is OpenAI-style SSE chunks. `output_format` (not with streaming) shapes and repairs the answer as on /v1/chat/completions. Rate-limited like the other data-plane routes.',
    tag: 'data plane',
    auth: 'api_key',
    request: { json: tokenHubChatSchema },
    responses: {
      200: {
        description: 'The negotiated model, the real cost, why it was chosen, and the chat completion.',
        json: z.looseObject({
          negotiated_model: z.string(),
          estimated_cost_usd: z.number(),
          routing_reason: z.string(),
          response: z.unknown(),
        }),
      },
      400: { description: 'Invalid request, policy or directive (the error names the field).' },
    },
  },
  {
    method: 'post',
    path: '/v1/feedback',
    summary: 'Score a routed answer (0–1); the Thompson-sampling bandit learns from it',
    tag: 'routing',
    auth: 'api_key',
    request: { json: feedbackSchema },
    responses: {
      200: { description: 'Recorded.', json: z.looseObject({}) },
      404: { description: 'No routed request with that id for this key.' },
    },
  },
  {
    method: 'post',
    path: '/api/v1/route/preview',
    summary: 'The ranked candidates for a chat request, without calling any model',
    tag: 'routing',
    auth: 'api_key',
    request: { json: chatRequestSchema },
    responses: { 200: { description: 'Candidates with scores, rejections with reasons, the order.', json: z.looseObject({}) } },
  },
  ...registryAdminSpecs({
    collection: 'models',
    listSummary: 'Registry models (config and admin API), with weights and deployments',
    createSummary: 'Add a model to the registry (applied without restart)',
    updateSummary: 'Update a registry model (weight, prices, deployments, disabled)',
    disableSummary: 'Disable a registry model',
    noun: 'model',
    createSchema: adminModelSchema,
    patchSchema: modelPatchSchema,
  }),
  ...registryAdminSpecs({
    collection: 'providers',
    listSummary: 'Providers (detected, configured and added through the admin API); keys are never returned',
    createSummary: 'Add a provider (applied without restart)',
    updateSummary: 'Update a provider',
    disableSummary: 'Disable a provider',
    noun: 'provider',
    createSchema: providerCreateSchema,
    patchSchema: providerPatchSchema,
  }),
]
