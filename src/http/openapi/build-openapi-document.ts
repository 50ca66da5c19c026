import { z } from 'zod'
import type { RouteAuth, RouteSpec } from './route-spec.ts'

const securityByAuth: Record<RouteAuth, Array<Record<string, string[]>>> = {
  none: [],
  api_key: [{ apiKey: [] }, { apiKeyHeader: [] }],
  admin_token: [{ adminToken: [] }],
  user: [{ sessionToken: [] }, { apiKey: ['manage'] }],
}

const errorEnvelope = z.object({
  error: z.object({
    message: z.string(),
    type: z.string(),
    code: z.string().nullable(),
    param: z.string().nullable(),
  }),
})

/** Builds an OpenAPI 3.1 document from the route table; pure, so it is computed once at start. */
export function buildOpenApiDocument(options: { routes: readonly RouteSpec[]; serverUrl?: string; version: string }) {
  const paths: Record<string, Record<string, ReturnType<typeof describeOperation>>> = {}
  for (const route of options.routes) {
    const operations = paths[route.path] ?? {}
    paths[route.path] = operations
    operations[route.method] = describeOperation(route)
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Switchyard',
      version: options.version,
      description:
        'Self-hostable LLM gateway: an OpenAI-compatible data plane under /v1 and a management API under /api/v1. ' +
        'Agents: see /llms.txt for the login → key → .env → test → usage sequence.',
    },
    ...(options.serverUrl == null ? {} : { servers: [{ url: options.serverUrl }] }),
    tags: [...new Set(options.routes.map((route) => route.tag))].map((name) => ({ name })),
    paths,
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An API key `sk-sy-...` (scopes: chat, plan, embeddings, manage).' },
        apiKeyHeader: { type: 'apiKey', in: 'header', name: 'x-api-key', description: 'The same API key in `x-api-key`.' },
        adminToken: { type: 'http', scheme: 'bearer', description: 'The operator admin token `sy-admin-...`.' },
        sessionToken: { type: 'http', scheme: 'bearer', description: 'A session token `sy-session-...` from device-flow login.' },
      },
      schemas: { ErrorEnvelope: toSchema(errorEnvelope, 'output') },
    },
  }
}

function describeOperation(route: RouteSpec) {
  const pathParameters = [...route.path.matchAll(/\{([^}]+)\}/g)].map((match) => ({
    name: match[1] ?? '',
    in: 'path',
    required: true,
    schema: { type: 'string' },
  }))
  const queryParameters =
    route.request?.query == null
      ? []
      : Object.entries(route.request.query.shape).map(([name, schema]) => ({
          name,
          in: 'query',
          required: !(schema as z.ZodType).safeParse(undefined).success,
          schema: toSchema(schema as z.ZodType, 'input'),
        }))
  const requestBody: { required: boolean; content: Record<string, { schema: unknown }> } | undefined =
    route.request?.json != null
      ? { required: true, content: { 'application/json': { schema: toSchema(route.request.json, 'input') } } }
      : route.request?.form != null
        ? { required: true, content: { 'application/x-www-form-urlencoded': { schema: toSchema(route.request.form, 'input') } } }
        : undefined
  const responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }> = {}
  for (const [status, response] of Object.entries(route.responses)) {
    const content: Record<string, { schema: unknown }> | undefined =
      response.json != null
        ? { 'application/json': { schema: toSchema(response.json, 'output') } }
        : response.contentType != null
          ? { [response.contentType]: { schema: { type: 'string' } } }
          : undefined
    responses[status] = { description: response.description, ...(content == null ? {} : { content }) }
  }
  if (route.auth !== 'none' && responses['401'] == null) responses['401'] = errorResponse('Missing, unknown or revoked credentials.')
  responses.default ??= errorResponse('An error in the OpenAI envelope.')
  return {
    operationId: operationId(route),
    summary: route.summary,
    ...(route.description == null ? {} : { description: route.description }),
    tags: [route.tag],
    security: securityByAuth[route.auth],
    ...(pathParameters.length + queryParameters.length > 0 ? { parameters: [...pathParameters, ...queryParameters] } : {}),
    ...(requestBody == null ? {} : { requestBody }),
    responses,
  }
}

function errorResponse(description: string) {
  return { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } } }
}

function operationId(route: RouteSpec): string {
  const words = route.path
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word[0]?.toUpperCase() + word.slice(1))
  return `${route.method}${words.join('')}`
}

function toSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  // `unrepresentable: 'any'` keeps transforms and defaults from aborting the whole document.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<
    string,
    unknown
  >
  return rest
}
