import type { Reply, ReplyContext } from './fake-provider-types.ts'
import { asArray, isRecord, type JsonRecord, readString } from './json-value.ts'
import { type Conversation, mentionsWeather, type PlannedReply, planReply } from './plan-reply.ts'
import { namedFrame, sseHeaders } from './sse-frame.ts'

/** Text of a string or of `text` blocks; a `tool_result` block counts with its own content. */
function readAnthropicContent(content: unknown): string {
  if (typeof content === 'string') return content
  const texts: string[] = []
  for (const block of asArray(content)) {
    if (!isRecord(block)) continue
    if (block.type === 'text' && typeof block.text === 'string') texts.push(block.text)
    if (block.type === 'tool_result') texts.push(readAnthropicContent(block.content))
  }
  return texts.join(' ')
}

function hasToolResult(content: unknown): boolean {
  return asArray(content).some((block) => isRecord(block) && block.type === 'tool_result')
}

export function readAnthropicConversation(body: JsonRecord): Conversation {
  const messages = asArray(body.messages).filter(isRecord)
  const texts = [readAnthropicContent(body.system)]
  for (const message of messages) texts.push(readAnthropicContent(message.content))
  const lastUser = messages.findLast((message) => message.role === 'user')
  const lastUserText = lastUser == null ? '' : readAnthropicContent(lastUser.content)
  const lastMessage = messages.at(-1)
  const wantsToolCall =
    asArray(body.tools).length > 0 && lastMessage?.role === 'user' && !hasToolResult(lastMessage.content) && mentionsWeather(lastUserText)
  return { promptText: texts.join(' '), lastUserText, wantsToolCall }
}

function buildAnthropicUsage(inputTokens: number, outputTokens: number): JsonRecord {
  // `input_tokens` excludes cache reads and writes, which this fake never reports.
  return {
    input_tokens: inputTokens,
    output_tokens: outputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
  }
}

function buildContentBlock(plan: PlannedReply, sequence: number): JsonRecord {
  if (plan.kind === 'text') return { type: 'text', text: plan.text }
  return { type: 'tool_use', id: `toolu_fake_${sequence}`, name: plan.name, input: plan.input }
}

/** `POST /v1/messages`, streamed (named events) or not. */
export function buildAnthropicReply(body: JsonRecord, context: ReplyContext): Reply {
  const plan = planReply(readAnthropicConversation(body))
  const model = readString(body, 'model') ?? 'unknown'
  const id = `msg_fake_${context.sequence}`
  const headers = { 'request-id': `req_fake_${context.sequence}` }
  const stopReason = plan.kind === 'tool-call' ? 'tool_use' : 'end_turn'
  const message = { id, type: 'message', role: 'assistant', model }
  if (body.stream !== true) {
    const reply = {
      ...message,
      content: [buildContentBlock(plan, context.sequence)],
      stop_reason: stopReason,
      stop_sequence: null,
      usage: { ...buildAnthropicUsage(plan.promptTokens, plan.completionTokens), service_tier: 'standard' },
    }
    return { kind: 'json', status: 200, body: reply, headers }
  }
  const frames = [
    namedFrame('message_start', {
      type: 'message_start',
      message: {
        ...message,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: buildAnthropicUsage(plan.promptTokens, 1),
      },
    }),
    ...buildBlockFrames(plan, context.sequence),
    namedFrame('message_delta', {
      type: 'message_delta',
      delta: { stop_reason: stopReason, stop_sequence: null },
      // Cumulative counts, as the real API sends them.
      usage: buildAnthropicUsage(plan.promptTokens, plan.completionTokens),
    }),
    namedFrame('message_stop', { type: 'message_stop' }),
  ]
  return { kind: 'sse', frames, headers: { ...sseHeaders, ...headers } }
}

function buildBlockFrames(plan: PlannedReply, sequence: number): string[] {
  const start = buildContentBlock(plan, sequence)
  const opening = plan.kind === 'text' ? { ...start, text: '' } : { ...start, input: {} }
  const delta = (payload: JsonRecord): string =>
    namedFrame('content_block_delta', { type: 'content_block_delta', index: 0, delta: payload })
  // The real API's first `input_json_delta` is often empty; clients must cope with it.
  const deltas =
    plan.kind === 'text'
      ? plan.pieces.map((piece) => delta({ type: 'text_delta', text: piece }))
      : ['', ...plan.argumentPieces].map((piece) => delta({ type: 'input_json_delta', partial_json: piece }))
  return [
    namedFrame('content_block_start', { type: 'content_block_start', index: 0, content_block: opening }),
    namedFrame('ping', { type: 'ping' }),
    ...deltas,
    namedFrame('content_block_stop', { type: 'content_block_stop', index: 0 }),
  ]
}
