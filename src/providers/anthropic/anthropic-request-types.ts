// The subset of Anthropic's `POST /v1/messages` request body that this adapter writes. Only what
// we produce is typed; see reliability-and-protocols.md B3 for the wire facts.
import type { JsonObject } from '../../protocol/openai-chat-types.ts'

export type AnthropicTextBlock = { type: 'text'; text: string }

export type AnthropicImageBlock = {
  type: 'image'
  source: { type: 'base64'; media_type: string; data: string } | { type: 'url'; url: string }
}

export type AnthropicToolUseBlock = { type: 'tool_use'; id: string; name: string; input: JsonObject }

export type AnthropicToolResultBlock = {
  type: 'tool_result'
  tool_use_id: string
  // Omitted when the tool returned nothing: Anthropic rejects empty text.
  content?: string | Array<AnthropicTextBlock | AnthropicImageBlock>
}

export type AnthropicContentBlock = AnthropicTextBlock | AnthropicImageBlock | AnthropicToolUseBlock | AnthropicToolResultBlock

export type AnthropicMessage = { role: 'user' | 'assistant'; content: AnthropicContentBlock[] }

export type AnthropicTool = { name: string; description?: string; input_schema: JsonObject }

export type AnthropicToolChoice =
  | { type: 'auto'; disable_parallel_tool_use?: boolean }
  | { type: 'any'; disable_parallel_tool_use?: boolean }
  | { type: 'tool'; name: string; disable_parallel_tool_use?: boolean }
  | { type: 'none' }

export type AnthropicRequestBody = {
  model: string
  max_tokens: number
  messages: AnthropicMessage[]
  system?: AnthropicTextBlock[]
  stop_sequences?: string[]
  temperature?: number
  top_p?: number
  tools?: AnthropicTool[]
  tool_choice?: AnthropicToolChoice
  output_config?: { format: { type: 'json_schema'; schema: JsonObject } }
  metadata?: { user_id: string }
  stream?: true
}
