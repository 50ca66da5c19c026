import type { ProviderAdapter } from '../provider-adapter.ts'
import { createAnthropicStreamParser } from './anthropic-stream-parser.ts'
import { buildAnthropicChatRequest } from './build-anthropic-chat-request.ts'
import { convertAnthropicResponse } from './convert-anthropic-response.ts'
import { parseAnthropicError } from './parse-anthropic-error.ts'

/** Egress adapter for Anthropic's Messages API (`POST /v1/messages`, `anthropic-version: 2023-06-01`). Pure. */
export const anthropicAdapter: ProviderAdapter = Object.freeze({
  family: 'anthropic',
  buildChatRequest: buildAnthropicChatRequest,
  parseChatResponse: convertAnthropicResponse,
  createStreamParser: createAnthropicStreamParser,
  parseError: parseAnthropicError,
})
