import type { ChatRequest } from '../../protocol/openai-chat-types.ts'
import type { GeminiFunctionDeclaration, GeminiRequest } from './gemini-request-types.ts'
import { sanitizeGeminiSchema } from './sanitize-gemini-schema.ts'

/**
 * Converts OpenAI `tools` and `tool_choice` to Gemini `tools` and `toolConfig`.
 * `parallel_tool_calls` has no Gemini equivalent and is ignored.
 */
export function convertToGeminiTools(request: ChatRequest): Pick<GeminiRequest, 'tools' | 'toolConfig'> {
  const result: Pick<GeminiRequest, 'tools' | 'toolConfig'> = {}
  const declarations = (request.tools ?? []).map(convertToolDefinition)
  if (declarations.length > 0) result.tools = [{ functionDeclarations: declarations }]
  const choice = request.tool_choice
  if (choice === 'auto') result.toolConfig = { functionCallingConfig: { mode: 'AUTO' } }
  else if (choice === 'none') result.toolConfig = { functionCallingConfig: { mode: 'NONE' } }
  else if (choice === 'required') result.toolConfig = { functionCallingConfig: { mode: 'ANY' } }
  else if (choice != null) {
    result.toolConfig = {
      functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choice.function.name] },
    }
  }
  return result
}

function convertToolDefinition(tool: NonNullable<ChatRequest['tools']>[number]): GeminiFunctionDeclaration {
  const { name, description, parameters } = tool.function
  const declaration: GeminiFunctionDeclaration = { name }
  if (description != null) declaration.description = description
  if (parameters != null) {
    const schema = sanitizeGeminiSchema(parameters)
    // A function without parameters must omit `parameters`: Gemini rejects an OBJECT schema with
    // no properties (the sanitiser drops an empty `properties`, so absence is the signal).
    if (schema.properties != null) declaration.parameters = schema
  }
  return declaration
}
