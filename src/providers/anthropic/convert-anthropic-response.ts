import { GatewayError } from '../../errors/gateway-error.ts'
import type { ChatCompletion, ToolCall } from '../../protocol/openai-chat-types.ts'
import type { ChatResult, StreamContext } from '../provider-adapter.ts'
import { toCompletionUsage } from '../to-completion-usage.ts'
import { anthropicMessageSchema } from './anthropic-api-schema.ts'
import { convertAnthropicUsage } from './convert-anthropic-usage.ts'
import { mapAnthropicStopReason } from './map-anthropic-stop-reason.ts'

/**
 * An Anthropic Message → an OpenAI chat completion. Text blocks are joined, `tool_use` blocks
 * become `tool_calls`, `thinking` becomes `reasoning_content`; other blocks (redacted thinking,
 * server tools) have no OpenAI form and are left out. id, model and created come from the
 * gateway's context so they match what the client was promised.
 */
export function convertAnthropicResponse(body: unknown, context: StreamContext): ChatResult {
  const parsed = anthropicMessageSchema.safeParse(body)
  if (!parsed.success) {
    throw new GatewayError('upstream_error', 'Anthropic returned a response the gateway could not read.', {
      cause: parsed.error,
    })
  }
  const message = parsed.data
  const texts: string[] = []
  const thoughts: string[] = []
  const toolCalls: ToolCall[] = []
  for (const block of message.content) {
    if (block.type === 'text' && block.text != null) texts.push(block.text)
    else if (block.type === 'thinking' && block.thinking != null) thoughts.push(block.thinking)
    else if (block.type === 'tool_use' && block.id != null && block.name != null) {
      toolCalls.push({
        id: block.id,
        type: 'function',
        function: { name: block.name, arguments: JSON.stringify(block.input ?? {}) },
      })
    }
  }
  const usage = message.usage == null ? undefined : convertAnthropicUsage(message.usage)
  const choiceMessage: ChatCompletion['choices'][number]['message'] = {
    role: 'assistant',
    content: texts.length > 0 ? texts.join('') : null,
  }
  if (toolCalls.length > 0) choiceMessage.tool_calls = toolCalls
  if (thoughts.length > 0) choiceMessage.reasoning_content = thoughts.join('')
  const completion: ChatCompletion = {
    id: context.id,
    object: 'chat.completion',
    created: context.created,
    model: context.model,
    choices: [{ index: 0, message: choiceMessage, finish_reason: mapAnthropicStopReason(message.stop_reason), logprobs: null }],
  }
  if (usage != null) completion.usage = toCompletionUsage(usage)
  return { completion, usage }
}
