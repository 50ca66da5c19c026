import { GatewayError } from '../../errors/gateway-error.ts'
import type { ToolChoice, ToolDefinition } from '../../protocol/openai-chat-types.ts'
import type { AnthropicTool, AnthropicToolChoice } from './anthropic-request-types.ts'

/**
 * OpenAI function tools → Anthropic tools. `strict` is not forwarded: Anthropic's strict mode
 * only accepts a subset of JSON Schema and not on every model, and OpenAI SDKs set it by default,
 * so forwarding it would turn working requests into 400s.
 */
export function convertToAnthropicTools(tools: readonly ToolDefinition[]): AnthropicTool[] {
  return tools.map((tool, index) => {
    // Checked at runtime: the hub type promises `function`, but ingress may pass other tool kinds.
    const definition: ToolDefinition['function'] | undefined = tool.function
    if (definition == null) {
      throw new GatewayError('invalid_request', 'Only function tools are supported for Anthropic models.', {
        param: `tools[${index}]`,
      })
    }
    const converted: AnthropicTool = {
      name: definition.name,
      // Anthropic requires an object schema even for tools without parameters.
      input_schema: definition.parameters ?? { type: 'object', properties: {} },
    }
    if (definition.description != null) converted.description = definition.description
    return converted
  })
}

/**
 * OpenAI `tool_choice` + `parallel_tool_calls` → Anthropic `tool_choice`. `required` is `any`.
 * `parallel_tool_calls: false` has no top-level equivalent; it rides on the choice as
 * `disable_parallel_tool_use`, defaulting the choice to `auto` when none was given.
 */
export function convertToAnthropicToolChoice(
  toolChoice: ToolChoice | undefined,
  parallelToolCalls: boolean | undefined,
): AnthropicToolChoice | undefined {
  const disableParallel = parallelToolCalls === false
  const choice = baseChoice(toolChoice ?? (disableParallel ? 'auto' : undefined))
  if (choice == null || choice.type === 'none' || !disableParallel) return choice
  return { ...choice, disable_parallel_tool_use: true }
}

function baseChoice(toolChoice: ToolChoice | undefined): AnthropicToolChoice | undefined {
  if (toolChoice == null) return undefined
  if (toolChoice === 'auto') return { type: 'auto' }
  if (toolChoice === 'none') return { type: 'none' }
  if (toolChoice === 'required') return { type: 'any' }
  return { type: 'tool', name: toolChoice.function.name }
}
