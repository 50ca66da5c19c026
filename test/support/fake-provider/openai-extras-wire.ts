import { embedText, encodeEmbeddingBase64 } from './embed-text.ts'
import type { Reply, ReplyContext } from './fake-provider-types.ts'
import { asArray, type JsonRecord, readString } from './json-value.ts'
import { readIncludeUsage } from './openai-chat-wire.ts'
import { countWords, splitIntoWordPieces } from './plan-reply.ts'
import { dataFrame, doneFrame, sseHeaders } from './sse-frame.ts'

/** A string prompt, or an array of strings or token ids, flattened to text. */
function readPromptText(prompt: unknown): string {
  if (typeof prompt === 'string') return prompt
  return asArray(prompt)
    .map((item) => (typeof item === 'string' ? item : JSON.stringify(item)))
    .join(' ')
}

/** `POST /v1/completions` (legacy): a `text_completion` object, streamed or not. */
export function buildOpenAiCompletionReply(body: JsonRecord, context: ReplyContext): Reply {
  const prompt = readPromptText(body.prompt)
  const text = `echo: ${prompt}`
  const model = readString(body, 'model') ?? 'unknown'
  const id = `cmpl-fake-${context.sequence}`
  const headers = { 'x-request-id': `req_fake_${context.sequence}` }
  const usage = {
    prompt_tokens: countWords(prompt),
    completion_tokens: countWords(text),
    total_tokens: countWords(prompt) + countWords(text),
  }
  const envelope = { id, object: 'text_completion', created: context.created, model }
  if (body.stream !== true) {
    const choice = { text, index: 0, logprobs: null, finish_reason: 'stop' }
    return { kind: 'json', status: 200, body: { ...envelope, choices: [choice], usage }, headers }
  }
  const includeUsage = readIncludeUsage(body)
  const chunk = (piece: string, finishReason: string | null): string =>
    dataFrame({
      ...envelope,
      choices: [{ text: piece, index: 0, logprobs: null, finish_reason: finishReason }],
      ...(includeUsage ? { usage: null } : {}),
    })
  const frames = [...splitIntoWordPieces(text).map((piece) => chunk(piece, null)), chunk('', 'stop')]
  if (includeUsage) frames.push(dataFrame({ ...envelope, choices: [], usage }))
  frames.push(doneFrame)
  return { kind: 'sse', frames, headers: { ...sseHeaders, ...headers } }
}

/** `POST /v1/embeddings`: float arrays, or base64 float32 (the official SDK's default). */
export function buildOpenAiEmbeddingsReply(body: JsonRecord, context: ReplyContext): Reply {
  const input = body.input
  const texts = typeof input === 'string' ? [input] : asArray(input).map((item) => (typeof item === 'string' ? item : JSON.stringify(item)))
  const base64 = body.encoding_format === 'base64'
  const data = texts.map((text, index) => {
    const values = embedText(text)
    return { object: 'embedding', index, embedding: base64 ? encodeEmbeddingBase64(values) : values }
  })
  const promptTokens = texts.reduce((total, text) => total + countWords(text), 0)
  return {
    kind: 'json',
    status: 200,
    body: {
      object: 'list',
      data,
      model: readString(body, 'model') ?? 'unknown',
      usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
    },
    headers: { 'x-request-id': `req_fake_${context.sequence}` },
  }
}

/**
 * `GET /v1/models`: Anthropic's list shape when the caller looks like an Anthropic client
 * (Claude Code sends `anthropic-version` / `x-api-key`), OpenAI's otherwise.
 */
export function buildModelsReply(options: { models: readonly string[]; anthropicShape: boolean; context: ReplyContext }): Reply {
  const { models, anthropicShape, context } = options
  if (anthropicShape) {
    const createdAt = new Date(context.created * 1000).toISOString()
    const data = models.map((id) => ({
      type: 'model',
      id,
      display_name: id,
      created_at: createdAt,
    }))
    const body = {
      data,
      has_more: false,
      first_id: models[0] ?? null,
      last_id: models.at(-1) ?? null,
    }
    return { kind: 'json', status: 200, body, headers: {} }
  }
  const data = models.map((id) => ({
    id,
    object: 'model',
    created: context.created,
    owned_by: 'fake-provider',
  }))
  return { kind: 'json', status: 200, body: { object: 'list', data }, headers: {} }
}
