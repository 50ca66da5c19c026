import type { ChatMessage, ChatRequest, EmbeddingsRequest } from '../protocol/openai-chat-types.ts'
import { encodeSseData, sseDoneFrame } from '../sse/encode-sse.ts'
import { isRecord } from '../util/is-record.ts'

// The built-in `switchyard/echo` model, served in-process as if it were an OpenAI-compatible
// upstream, so it takes exactly the path every real provider takes (adapter, stream parser,
// metering) and a new user can try every endpoint with no provider key at all.

const echoPrefix = '[switchyard/echo] '

export async function handleEchoRequest(request: Request): Promise<Response> {
  const path = new URL(request.url).pathname
  const body: unknown = await request.json()
  if (path.endsWith('/chat/completions') && isRecord(body)) return chat(body as ChatRequest)
  if (path.endsWith('/embeddings') && isRecord(body)) return embeddings(body as EmbeddingsRequest)
  return Response.json({ error: { message: `echo does not serve ${path}`, type: 'invalid_request_error' } }, { status: 404 })
}

function chat(request: ChatRequest): Response {
  const text = `${echoPrefix}${lastUserText(request.messages ?? [])}`
  const promptTokens = estimateTokens(JSON.stringify(request.messages ?? []))
  const completionTokens = estimateTokens(text)
  const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens }
  const id = `chatcmpl-echo-${Date.now()}`
  const created = Math.floor(Date.now() / 1000)
  if (request.stream !== true) {
    return Response.json({
      id,
      object: 'chat.completion',
      created,
      model: 'echo',
      choices: [{ index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' }],
      usage,
    })
  }
  const pieces = text.match(/\S+\s*/g) ?? ['']
  const frames: Uint8Array[] = []
  const chunk = (delta: Record<string, unknown>, finishReason: string | null) =>
    encodeSseData({
      id,
      object: 'chat.completion.chunk',
      created,
      model: 'echo',
      choices: [{ index: 0, delta, finish_reason: finishReason }],
    })
  frames.push(chunk({ role: 'assistant', content: '' }, null))
  for (const piece of pieces) frames.push(chunk({ content: piece }, null))
  frames.push(chunk({}, 'stop'))
  if (request.stream_options?.include_usage === true) {
    frames.push(encodeSseData({ id, object: 'chat.completion.chunk', created, model: 'echo', choices: [], usage }))
  }
  frames.push(sseDoneFrame)
  return new Response(new Blob(frames as BlobPart[]), { headers: { 'content-type': 'text/event-stream' } })
}

function embeddings(request: EmbeddingsRequest): Response {
  const inputs = Array.isArray(request.input) ? request.input : [request.input]
  const data = inputs.map((input, index) => ({ object: 'embedding', index, embedding: pseudoEmbedding(JSON.stringify(input)) }))
  const tokens = inputs.reduce<number>((sum, input) => sum + estimateTokens(JSON.stringify(input)), 0)
  return Response.json({ object: 'list', data, model: 'echo', usage: { prompt_tokens: tokens, total_tokens: tokens } })
}

function lastUserText(messages: readonly ChatMessage[]): string {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index]
    if (message?.role !== 'user') continue
    if (typeof message.content === 'string') return message.content
    return message.content.map((part) => (part.type === 'text' && typeof part.text === 'string' ? part.text : '')).join('')
  }
  return ''
}

/** About four characters per token: good enough for a model that costs nothing. */
function estimateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4))
}

/** A deterministic 8-dimensional unit vector, so equal inputs embed equally. */
function pseudoEmbedding(text: string): number[] {
  const vector = new Array<number>(8).fill(0)
  for (let index = 0; index < text.length; index++) {
    const slot = index % 8
    vector[slot] = (vector[slot] ?? 0) + text.charCodeAt(index) / 1000
  }
  const norm = Math.hypot(...vector) || 1
  return vector.map((value) => value / norm)
}
