import { Server } from '@modelcontextprotocol/sdk/server/index.js'
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'
import { CallToolRequestSchema, ErrorCode, ListToolsRequestSchema, McpError } from '@modelcontextprotocol/sdk/types.js'
import { callMcpTool, isKnownTool, toolDescriptions } from './call-mcp-tool.ts'
import type { GatewayApi } from './gateway-api.ts'
import { mcpInstructions, mcpServerName } from './mcp-server-info.ts'

/**
 * The `initialize`-era revisions (2024-11-05 … 2025-11-25) through the official SDK, in its
 * stateless mode: a fresh server and transport per POST and no Mcp-Session-Id, so any replica can
 * answer any request and there is no session to steal. Clients of these revisions accept a server
 * that assigns no session (the header is optional in the spec).
 */
export async function handleLegacyMcp(options: { request: Request; body: unknown; api: GatewayApi; version: string }): Promise<Response> {
  const server = new Server(
    { name: mcpServerName, version: options.version },
    { capabilities: { tools: {} }, instructions: mcpInstructions },
  )
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: [...toolDescriptions] }))
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    if (!isKnownTool(request.params.name)) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${request.params.name}`)
    return callMcpTool(request.params.name, request.params.arguments, options.api)
  })
  const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true })
  await server.connect(transport)
  try {
    return await transport.handleRequest(options.request, { parsedBody: options.body })
  } finally {
    // In JSON-response mode the answer is complete once handleRequest returns.
    await server.close()
  }
}
