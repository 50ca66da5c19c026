import { z } from 'zod'
import { modelView } from './core-route-specs.ts'
import type { RouteSpec } from './route-spec.ts'
import { listOf } from './shared-response-views.ts'

// The agent surface (issue 5): discovery documents, device-flow login, sessions.

const oauthError = z.object({
  error: z.enum([
    'invalid_request',
    'invalid_client',
    'invalid_scope',
    'unsupported_grant_type',
    'authorization_pending',
    'slow_down',
    'expired_token',
    'access_denied',
    'invalid_grant',
  ]),
  error_description: z.string(),
  interval: z.number().int().optional().describe('with slow_down: the new polling interval in seconds'),
})

const protectedResource = z.object({
  resource: z.string(),
  authorization_servers: z.array(z.string()),
  scopes_supported: z.array(z.string()),
  bearer_methods_supported: z.array(z.string()),
  resource_name: z.string(),
  resource_documentation: z.string(),
})

export const agentRouteSpecs: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This OpenAPI 3.1 document',
    tag: 'discovery',
    auth: 'none',
    responses: { 200: { description: 'The document.', json: z.looseObject({ openapi: z.string() }) } },
  },
  {
    method: 'get',
    path: '/docs',
    summary: 'The API reference as a web page (no external assets)',
    tag: 'discovery',
    auth: 'none',
    responses: { 200: { description: 'HTML.', contentType: 'text/html' } },
  },
  {
    method: 'get',
    path: '/llms.txt',
    summary: 'A short description of the gateway for AI agents',
    tag: 'discovery',
    auth: 'none',
    responses: { 200: { description: 'Markdown text.', contentType: 'text/plain' } },
  },
  {
    method: 'get',
    path: '/llms-full.txt',
    summary: 'The full agent guide: every endpoint, the CLI, JSON shapes, exit codes and rules',
    tag: 'discovery',
    auth: 'none',
    responses: { 200: { description: 'Markdown text.', contentType: 'text/plain' } },
  },
  {
    method: 'get',
    path: '/api/v1/auth/discovery',
    summary: 'Where to log in: the OAuth issuer and its RFC 8628 endpoints',
    tag: 'auth',
    auth: 'none',
    responses: {
      200: {
        description: 'The login configuration (the gateway itself, or the configured external OIDC issuer).',
        json: z.object({
          issuer: z.string(),
          client_id: z.string(),
          device_authorization_endpoint: z.string(),
          token_endpoint: z.string(),
          scopes: z.array(z.string()),
          resource: z.string(),
        }),
      },
    },
  },
  {
    method: 'post',
    path: '/api/v1/auth/device/code',
    summary: 'RFC 8628 §3.1 device authorization request',
    tag: 'auth',
    auth: 'none',
    request: {
      form: z.object({
        client_id: z.string().describe('e.g. switchyard-cli'),
        client_name: z.string().optional().describe('shown to the user on the /device page'),
        scope: z.literal('manage').optional(),
      }),
    },
    responses: {
      200: {
        description: 'Codes for the device and the user.',
        json: z.object({
          device_code: z.string(),
          user_code: z.string().describe('XXXX-XXXX from BCDFGHJKLMNPQRSTVWXZ'),
          verification_uri: z.string(),
          verification_uri_complete: z.string(),
          expires_in: z.number().int(),
          interval: z.number().int(),
        }),
      },
      400: { description: 'RFC 6749 §5.2 error.', json: oauthError },
    },
  },
  {
    method: 'post',
    path: '/api/v1/auth/token',
    summary: 'RFC 8628 §3.4 device access token request (poll at `interval`)',
    tag: 'auth',
    auth: 'none',
    request: {
      form: z.object({
        grant_type: z.literal('urn:ietf:params:oauth:grant-type:device_code'),
        device_code: z.string(),
        client_id: z.string(),
      }),
    },
    responses: {
      200: {
        description: 'A session token.',
        json: z.object({ access_token: z.string(), token_type: z.literal('Bearer'), expires_in: z.number().int(), scope: z.string() }),
      },
      400: { description: 'authorization_pending, slow_down, expired_token, access_denied, invalid_grant, ...', json: oauthError },
    },
  },
  {
    method: 'post',
    path: '/api/v1/auth/logout',
    summary: 'Revoke the calling session token',
    tag: 'auth',
    auth: 'user',
    responses: { 200: { description: 'Revoked.', json: z.object({ revoked: z.literal(true), session_id: z.string() }) } },
  },
  {
    method: 'get',
    path: '/api/v1/auth/session',
    summary: 'Who the bearer is: the session (user id, client, expiry) or the `manage` key',
    tag: 'auth',
    auth: 'user',
    responses: {
      200: {
        description: 'The caller.',
        json: z.object({
          kind: z.enum(['session', 'api_key']),
          key_id: z.string().nullable(),
          user_id: z.string().nullable(),
          session_id: z.string().nullable(),
          client_id: z.string().nullable(),
          expires_at: z.string().nullable(),
        }),
      },
    },
  },
  {
    method: 'get',
    path: '/device',
    summary: 'The device login page (enter the code, sign in, approve or deny)',
    tag: 'auth',
    auth: 'none',
    request: { query: z.object({ user_code: z.string().optional() }) },
    responses: { 200: { description: 'HTML.', contentType: 'text/html' } },
  },
  {
    method: 'post',
    path: '/device',
    summary: 'The device login form’s submission',
    tag: 'auth',
    auth: 'none',
    request: {
      form: z.object({
        csrf: z.string(),
        action: z.enum(['lookup', 'approve', 'deny']),
        user_code: z.string(),
        email: z.string().optional(),
        password: z.string().optional(),
      }),
    },
    responses: { 200: { description: 'HTML.', contentType: 'text/html' } },
  },
  {
    method: 'get',
    path: '/api/v1/models',
    summary: 'The model catalogue for a signed-in user (same shape as GET /v1/models)',
    tag: 'management',
    auth: 'user',
    responses: { 200: { description: 'Every model.', json: listOf(modelView) } },
  },
  {
    method: 'get',
    path: '/.well-known/oauth-protected-resource',
    summary: 'RFC 9728 protected-resource metadata for the management API',
    tag: 'auth',
    auth: 'none',
    responses: { 200: { description: 'Metadata.', json: protectedResource } },
  },
  {
    method: 'get',
    path: '/.well-known/oauth-protected-resource/mcp',
    summary: 'RFC 9728 protected-resource metadata for the MCP server (named in the 401 challenge)',
    tag: 'auth',
    auth: 'none',
    responses: { 200: { description: 'Metadata.', json: protectedResource } },
  },
  {
    method: 'get',
    path: '/.well-known/oauth-authorization-server',
    summary: 'RFC 8414 authorization-server metadata (device flow)',
    tag: 'auth',
    auth: 'none',
    responses: {
      200: {
        description: 'Metadata.',
        json: z.looseObject({ issuer: z.string(), device_authorization_endpoint: z.string(), token_endpoint: z.string() }),
      },
    },
  },
  {
    method: 'post',
    path: '/mcp',
    summary: 'Remote MCP server (Streamable HTTP): JSON-RPC, revisions 2024-11-05 to 2025-11-25 and the session-less 2026-07-28',
    description:
      'Tools: whoami, balance, usage, models, keys_create, keys_list, keys_revoke, topup, chat. Bearer: a session token or a key with the manage scope; a 401 names the protected-resource metadata in WWW-Authenticate.',
    tag: 'mcp',
    auth: 'user',
    request: {
      json: z.looseObject({
        jsonrpc: z.literal('2.0'),
        method: z.string(),
        id: z.union([z.string(), z.number()]).optional(),
        params: z.looseObject({}).optional(),
      }),
    },
    responses: {
      200: { description: 'A JSON-RPC response.', json: z.looseObject({ jsonrpc: z.literal('2.0') }) },
      202: { description: 'A notification was accepted.' },
    },
  },
  {
    method: 'get',
    path: '/mcp',
    summary: 'Not offered (405): no server-initiated stream',
    tag: 'mcp',
    auth: 'none',
    responses: { 405: { description: 'POST only.' } },
  },
  {
    method: 'delete',
    path: '/mcp',
    summary: 'Not offered (405): there are no sessions to end',
    tag: 'mcp',
    auth: 'none',
    responses: { 405: { description: 'POST only.' } },
  },
]
