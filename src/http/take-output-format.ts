import { GatewayError } from '../errors/gateway-error.ts'
import { type OutputFormat, parseOutputFormat } from '../output/output-format.ts'
import type { ChatRequest } from '../protocol/openai-chat-types.ts'

/**
 * Removes the `output_format` extension field from a chat request (it must never reach a
 * provider) and parses it. Shaping needs the whole answer, so with `stream: true` it is a 400:
 * a stream that is repaired or re-written after the fact would show the client bytes that the
 * final answer contradicts. `/v1/plan` streams progress and shapes its final answer instead.
 */
export function takeOutputFormat(request: ChatRequest, defaultMaxRepairs: number): OutputFormat | undefined {
  const raw = request.output_format
  delete request.output_format
  const format = parseOutputFormat(raw, { param: 'output_format', defaultMaxRepairs })
  if (format == null || (format.type === 'none' && !format.stripThink && format.maxTokens == null)) return undefined
  if (request.stream === true) {
    throw new GatewayError(
      'invalid_request',
      '`output_format` needs the whole answer and cannot be combined with `stream: true` on chat endpoints. Send `stream: false`, or use POST /v1/plan with `stream: true`, which streams progress and shapes the final answer.',
      { param: 'stream' },
    )
  }
  return format
}
