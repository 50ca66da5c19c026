import { SUPPORTED_PROTOCOL_VERSIONS } from '@modelcontextprotocol/sdk/types.js'
import { callMcpTool, isKnownTool, toolDescriptions } from './call-mcp-tool.ts'
import type { GatewayApi } from './gateway-api.ts'
import { mcpInstructions, mcpServerName, modernProtocolVersion } from './mcp-server-info.ts'

// The session-less revision 2026-07-28 (no initialize, no Mcp-Session-Id; every request carries
// its version in `_meta` and mirrors method and name in headers). The official TypeScript SDK does
// not speak it yet, so this small dispatcher does, over the same tool table as the SDK path.

const metaVersionKey = 'io.modelcontextprotocol/protocolVersion'
export const headerMismatch = -32020
export const unsupportedProtocolVersion = -32022

type JsonRpcRequest = { jsonrpc: '2.0'; id?: string | number | null; method: string; params?: Record<string, unknown> }

export function jsonRpcError(id: unknown, code: number, message: string, status: number, data?: unknown): Response {
  return Response.json(
    { jsonrpc: '2.0', id: id ?? null, error: { code, message, ...(data === undefined ? {} : { data }) } },
    { status, headers: { 'cache-control': 'no-store' } },
  )
}

/** A Base64 sentinel (`=?base64?...?=`) carries non-ASCII header values; anything else is literal. */
function decodeHeaderValue(value: string | null): string | null {
  const match = value == null ? null : /^=\?base64\?(.*)\?=$/i.exec(value)
  return match?.[1] == null ? value : Buffer.from(match[1], 'base64').toString('utf8')
}

export async function handleModernMcp(options: { request: Request; body: unknown; api: GatewayApi; version: string }): Promise<Response> {
  const body = options.body as Partial<JsonRpcRequest> | null
  if (body == null || typeof body !== 'object' || Array.isArray(body) || body.jsonrpc !== '2.0' || typeof body.method !== 'string') {
    return jsonRpcError(null, -32600, 'Expected one JSON-RPC 2.0 request object.', 400)
  }
  const headers = options.request.headers
  const meta = (body.params?._meta ?? {}) as Record<string, unknown>
  if (meta[metaVersionKey] !== headers.get('mcp-protocol-version')) {
    return jsonRpcError(body.id, headerMismatch, `MCP-Protocol-Version must equal _meta["${metaVersionKey}"].`, 400)
  }
  if (headers.get('mcp-method') !== body.method)
    return jsonRpcError(body.id, headerMismatch, 'Mcp-Method must equal the request method.', 400)
  if (body.id === undefined) return new Response(null, { status: 202 }) // a notification: nothing to answer
  const result = (value: Record<string, unknown>) =>
    Response.json(
      { jsonrpc: '2.0', id: body.id, result: { ...value, resultType: 'complete' } },
      { headers: { 'cache-control': 'no-store' } },
    )

  switch (body.method) {
    case 'server/discover':
      return result({
        supportedVersions: [modernProtocolVersion, ...SUPPORTED_PROTOCOL_VERSIONS],
        capabilities: { tools: {} },
        instructions: mcpInstructions,
        _meta: { 'io.modelcontextprotocol/serverInfo': { name: mcpServerName, version: options.version } },
      })
    case 'tools/list':
      return result({ tools: toolDescriptions })
    case 'tools/call': {
      const name = body.params?.name
      if (typeof name !== 'string') return jsonRpcError(body.id, -32602, '`params.name` is required.', 400)
      if (decodeHeaderValue(headers.get('mcp-name')) !== name)
        return jsonRpcError(body.id, headerMismatch, 'Mcp-Name must equal params.name.', 400)
      if (!isKnownTool(name)) return jsonRpcError(body.id, -32602, `Unknown tool: ${name}`, 400)
      return result({ ...(await callMcpTool(name, body.params?.arguments, options.api)) })
    }
    default:
      return jsonRpcError(body.id, -32601, `Method not found: ${body.method}`, 404)
  }
}
