import type { Reply, ReplyContext } from './fake-provider-types.ts'
import { asArray, isRecord, type JsonRecord, readString } from './json-value.ts'
import { type Conversation, mentionsWeather, type PlannedReply, planReply } from './plan-reply.ts'
import { planScriptedReply } from './scripted-answers.ts'
import { dataFrame, doneFrame, sseHeaders } from './sse-frame.ts'

/** Text of an OpenAI `content`: a string, or an array of parts of which `text` ones count. */
export function readOpenAiContent(content: unknown): string {
  if (typeof content === 'string') return content
  const texts: string[] = []
  for (const part of asArray(content)) {
    if (isRecord(part) && typeof part.text === 'string') texts.push(part.text)
  }
  return texts.join(' ')
}

export function readOpenAiConversation(body: JsonRecord): Conversation {
  const messages = asArray(body.messages).filter(isRecord)
  const promptText = messages.map((message) => readOpenAiContent(message.content)).join(' ')
  const lastUserSide = messages.findLast((message) => message.role === 'user' || message.role === 'tool')
  const lastUserText = lastUserSide == null ? '' : readOpenAiContent(lastUserSide.content)
  const lastMessage = messages.at(-1)
  const wantsToolCall = asArray(body.tools).length > 0 && lastMessage?.role === 'user' && mentionsWeather(lastUserText)
  return { promptText, lastUserText, wantsToolCall }
}

export function buildOpenAiUsage(promptTokens: number, completionTokens: number): JsonRecord {
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  }
}

export function readIncludeUsage(body: JsonRecord): boolean {
  return isRecord(body.stream_options) && body.stream_options.include_usage === true
}

/** `POST /v1/chat/completions`, streamed or not. */
export function buildOpenAiChatReply(body: JsonRecord, context: ReplyContext): Reply {
  const conversation = readOpenAiConversation(body)
  const plan = context.scriptedText == null ? planReply(conversation) : planScriptedReply(conversation, context.scriptedText)
  const model = readString(body, 'model') ?? 'unknown'
  const id = `chatcmpl-fake-${context.sequence}`
  const headers = { 'x-request-id': `req_fake_${context.sequence}` }
  const usage = buildOpenAiUsage(plan.promptTokens, plan.completionTokens)
  if (body.stream !== true) {
    const toolCall = plan.kind === 'tool-call'
    const completion = {
      id,
      object: 'chat.completion',
      created: context.created,
      model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: toolCall ? null : plan.text,
            refusal: null,
            ...(toolCall ? { tool_calls: [buildToolCall(plan, context.sequence)] } : {}),
          },
          logprobs: null,
          finish_reason: toolCall ? 'tool_calls' : 'stop',
        },
      ],
      usage,
      system_fingerprint: 'fp_fake',
    }
    return { kind: 'json', status: 200, body: completion, headers }
  }
  const includeUsage = readIncludeUsage(body)
  const chunk = (delta: JsonRecord, finishReason: string | null): string =>
    dataFrame({
      id,
      object: 'chat.completion.chunk',
      created: context.created,
      model,
      system_fingerprint: 'fp_fake',
      choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
      ...(includeUsage ? { usage: null } : {}),
    })
  const frames = [...buildDeltaFrames(plan, context.sequence, chunk)]
  if (includeUsage) {
    frames.push(
      dataFrame({
        id,
        object: 'chat.completion.chunk',
        created: context.created,
        model,
        system_fingerprint: 'fp_fake',
        choices: [],
        usage,
      }),
    )
  }
  frames.push(doneFrame)
  return { kind: 'sse', frames, headers: { ...sseHeaders, ...headers } }
}

function buildToolCall(plan: PlannedReply & { kind: 'tool-call' }, sequence: number): JsonRecord {
  return {
    id: `call_fake_${sequence}`,
    type: 'function',
    function: { name: plan.name, arguments: plan.argumentsJson },
  }
}

type ChunkBuilder = (delta: JsonRecord, finishReason: string | null) => string

function buildDeltaFrames(plan: PlannedReply, sequence: number, chunk: ChunkBuilder): string[] {
  if (plan.kind === 'text') {
    return [
      chunk({ role: 'assistant', content: '', refusal: null }, null),
      ...plan.pieces.map((piece) => chunk({ content: piece }, null)),
      chunk({}, 'stop'),
    ]
  }
  // The first fragment names the call; `index` ties the argument fragments to it.
  const opening = {
    index: 0,
    id: `call_fake_${sequence}`,
    type: 'function',
    function: { name: plan.name, arguments: '' },
  }
  return [
    chunk({ role: 'assistant', content: null, tool_calls: [opening] }, null),
    ...plan.argumentPieces.map((piece) => chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }, null)),
    chunk({}, 'tool_calls'),
  ]
}
