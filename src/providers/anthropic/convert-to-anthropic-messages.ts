import { GatewayError } from '../../errors/gateway-error.ts'
import type { ChatMessage, ContentPart } from '../../protocol/openai-chat-types.ts'
import type { AnthropicContentBlock, AnthropicMessage, AnthropicTextBlock, AnthropicToolResultBlock } from './anthropic-request-types.ts'
import { convertToAnthropicContent } from './convert-to-anthropic-content.ts'
import { parseToolCallArguments } from './parse-tool-call-arguments.ts'

export type ConvertedMessages = { system: AnthropicTextBlock[]; messages: AnthropicMessage[] }

/**
 * OpenAI messages → Anthropic `system` + alternating `messages`.
 *
 * - system/developer messages are hoisted, in order, into `system` (lossy if they were interleaved
 *   with the conversation, but Anthropic has no other place for them).
 * - `tool` messages become `tool_result` blocks in a user message. Consecutive same-role messages
 *   are merged because Anthropic requires alternation, which also puts all results of one
 *   assistant turn into ONE user message (otherwise: 400 "tool_use ids were found without
 *   tool_result blocks immediately after").
 * - Messages left without any block (empty strings) are dropped: Anthropic rejects empty content.
 */
export function convertToAnthropicMessages(messages: readonly ChatMessage[]): ConvertedMessages {
  const system: AnthropicTextBlock[] = []
  const converted: AnthropicMessage[] = []
  messages.forEach((message, index) => {
    const param = `messages[${index}]`
    switch (message.role) {
      case 'system':
      case 'developer':
        for (const block of convertToAnthropicContent(message.content, `${param}.content`, { allowImages: false })) {
          if (block.type === 'text') system.push(block)
        }
        return
      case 'user':
        appendMerged(converted, 'user', convertToAnthropicContent(message.content, `${param}.content`))
        return
      case 'assistant': {
        const blocks: AnthropicContentBlock[] = convertToAnthropicContent(message.content, `${param}.content`)
        for (const toolCall of message.tool_calls ?? []) {
          const input = parseToolCallArguments(toolCall.function.arguments)
          blocks.push({ type: 'tool_use', id: toolCall.id, name: toolCall.function.name, input })
        }
        // `reasoning_content` is dropped on purpose: Anthropic refuses a thinking block without its
        // signature, and the hub format has nowhere to carry one.
        appendMerged(converted, 'assistant', blocks)
        return
      }
      case 'tool':
        appendMerged(converted, 'user', [convertToolResult(message.content, message.tool_call_id, param)])
        return
      default:
        throw new GatewayError('invalid_request', 'Unsupported message role for Anthropic models.', {
          param: `${param}.role`,
        })
    }
  })
  return { system, messages: converted.map(putToolResultsFirst) }
}

function convertToolResult(content: string | ContentPart[], toolCallId: string, param: string): AnthropicToolResultBlock {
  const result: AnthropicToolResultBlock = { type: 'tool_result', tool_use_id: toolCallId }
  if (typeof content === 'string') {
    if (content !== '') result.content = content
    return result
  }
  const blocks = convertToAnthropicContent(content, `${param}.content`)
  if (blocks.length > 0) result.content = blocks
  return result
}

function appendMerged(messages: AnthropicMessage[], role: AnthropicMessage['role'], blocks: AnthropicContentBlock[]): void {
  if (blocks.length === 0) return
  const previous = messages.at(-1)
  if (previous != null && previous.role === role) previous.content.push(...blocks)
  else messages.push({ role, content: blocks })
}

/**
 * Anthropic requires tool_result blocks to come before any other block of their user message. A
 * merge of "user text, then tool results" would violate that, so results are moved first (stably).
 */
function putToolResultsFirst(message: AnthropicMessage): AnthropicMessage {
  if (message.role !== 'user') return message
  const results = message.content.filter((block) => block.type === 'tool_result')
  if (results.length === 0) return message
  const others = message.content.filter((block) => block.type !== 'tool_result')
  return { role: 'user', content: [...results, ...others] }
}
