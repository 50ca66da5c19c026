import { z } from 'zod'
import type { GatewayApi } from './gateway-api.ts'
import { type McpTool, mcpTools, ToolError } from './mcp-tools.ts'

export type ToolDescription = { name: string; title: string; description: string; inputSchema: Record<string, unknown> }
export type ToolResult = {
  content: Array<{ type: 'text'; text: string }>
  structuredContent?: Record<string, unknown>
  isError?: boolean
}

const toolsByName = new Map(mcpTools.map((tool) => [tool.name, tool]))

/** tools/list: computed once; the schemas are JSON Schema from the same zod objects that validate calls. */
export const toolDescriptions: readonly ToolDescription[] = mcpTools.map((tool: McpTool) => {
  const { $schema: _dialect, ...inputSchema } = z.toJSONSchema(tool.input, { io: 'input' }) as Record<string, unknown>
  return { name: tool.name, title: tool.title, description: tool.description, inputSchema }
})

export function isKnownTool(name: string): boolean {
  return toolsByName.has(name)
}

/**
 * tools/call: validation and API failures are tool results with `isError`, as MCP asks, so the
 * model reads what went wrong; only an unknown tool is a protocol error (the caller checks first).
 */
export async function callMcpTool(name: string, rawArgs: unknown, api: GatewayApi): Promise<ToolResult> {
  const tool = toolsByName.get(name)
  if (tool == null) return failure(`Unknown tool \`${name}\`.`)
  const parsed = tool.input.safeParse(rawArgs ?? {})
  if (!parsed.success) {
    return failure(
      `Invalid arguments: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || '(arguments)'} ${issue.message}`).join('; ')}`,
    )
  }
  try {
    const value = await tool.run(parsed.data as Record<string, unknown>, api)
    const structured =
      value != null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : { result: value }
    return { content: [{ type: 'text', text: JSON.stringify(value, null, 2) }], structuredContent: structured }
  } catch (error) {
    if (error instanceof ToolError) return failure(error.message)
    throw error
  }
}

function failure(message: string): ToolResult {
  return { content: [{ type: 'text', text: message }], isError: true }
}
