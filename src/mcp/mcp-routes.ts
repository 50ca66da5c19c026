import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js'
import { Hono } from 'hono'
import { createGatewayApi, type FetchApp } from './gateway-api.ts'
import { handleLegacyMcp } from './legacy-mcp-handler.ts'
import { modernProtocolVersion } from './mcp-server-info.ts'
import { handleModernMcp, jsonRpcError, unsupportedProtocolVersion } from './modern-mcp-handler.ts'

/**
 * `/mcp`: the remote MCP server (Streamable HTTP), for both eras of the protocol (reference B7).
 * Every POST is checked for Origin and authenticated (a session token or a `manage` key, checked
 * by the gateway's own API), then dispatched on MCP-Protocol-Version. GET and DELETE are 405:
 * there are no sessions and no server-initiated streams.
 */
export function mcpRoutes(deps: { fetchApp: FetchApp; publicUrl: string | undefined; version: string }) {
  const app = new Hono()
  const methodNotAllowed = () =>
    Response.json(
      { jsonrpc: '2.0', id: null, error: { code: -32000, message: 'Method not allowed: POST only (no sessions).' } },
      { status: 405, headers: { allow: 'POST' } },
    )
  app.get('/mcp', methodNotAllowed)
  app.delete('/mcp', methodNotAllowed)

  app.post('/mcp', async (c) => {
    const request = c.req.raw
    const base = deps.publicUrl ?? new URL(request.url).origin
    // DNS rebinding and cross-site pages: a browser's Origin must be this gateway's own.
    const origin = request.headers.get('origin')
    if (origin != null && origin !== base && origin !== new URL(request.url).origin) {
      return jsonRpcError(null, -32000, `Origin ${origin} is not allowed.`, 403)
    }
    const resourceMetadata = `${base}/.well-known/oauth-protected-resource/mcp`
    const authorization = request.headers.get('authorization') ?? ''
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1]
    const challenge = (error?: string) => ({
      'www-authenticate': `Bearer resource_metadata="${resourceMetadata}"${error == null ? '' : `, error="${error}"`}, scope="manage"`,
    })
    if (bearer == null) {
      return Response.json(
        { jsonrpc: '2.0', id: null, error: { code: -32001, message: 'Authorization: Bearer <session token or manage key> is required.' } },
        { status: 401, headers: challenge() },
      )
    }
    const api = createGatewayApi({ fetchApp: deps.fetchApp, baseUrl: new URL(request.url).origin, bearer })
    const identity = await api.call('GET', '/api/v1/auth/session')
    if (identity.status === 401) {
      return Response.json(
        { jsonrpc: '2.0', id: null, error: { code: -32001, message: 'The bearer token is unknown, expired or revoked.' } },
        { status: 401, headers: challenge('invalid_token') },
      )
    }
    if (identity.status === 403) {
      return Response.json(
        { jsonrpc: '2.0', id: null, error: { code: -32001, message: 'This key lacks the manage scope.' } },
        { status: 403, headers: challenge('insufficient_scope') },
      )
    }
    if (identity.status !== 200) return jsonRpcError(null, -32603, 'Authentication is unavailable; try again.', 503)

    let body: unknown
    try {
      body = await request.json()
    } catch {
      return jsonRpcError(null, -32700, 'The body is not valid JSON.', 400)
    }
    const version = request.headers.get('mcp-protocol-version')
    if (version === modernProtocolVersion) return handleModernMcp({ request, body, api, version: deps.version })
    if (version != null && !SUPPORTED_PROTOCOL_VERSIONS.includes(version)) {
      return jsonRpcError(null, unsupportedProtocolVersion, `Unsupported protocol version ${version}.`, 400, {
        supported: [modernProtocolVersion, ...SUPPORTED_PROTOCOL_VERSIONS],
      })
    }
    return handleLegacyMcp({ request, body, api, version: deps.version })
  })
  return app
}
