import { embedText } from './embed-text.ts'
import type { Reply, ReplyContext } from './fake-provider-types.ts'
import { asArray, isRecord, type JsonRecord } from './json-value.ts'
import { type Conversation, mentionsWeather, type PlannedReply, planReply } from './plan-reply.ts'
import { dataFrame, sseHeaders } from './sse-frame.ts'

/** Text of `parts`; a `functionResponse` counts as its JSON `response`. */
function readGeminiParts(parts: unknown): string {
  const texts: string[] = []
  for (const part of asArray(parts)) {
    if (!isRecord(part)) continue
    if (typeof part.text === 'string') texts.push(part.text)
    if (isRecord(part.functionResponse)) texts.push(JSON.stringify(part.functionResponse.response))
  }
  return texts.join(' ')
}

function hasFunctionResponse(parts: unknown): boolean {
  return asArray(parts).some((part) => isRecord(part) && isRecord(part.functionResponse))
}

export function readGeminiConversation(body: JsonRecord): Conversation {
  const contents = asArray(body.contents).filter(isRecord)
  const texts = [isRecord(body.systemInstruction) ? readGeminiParts(body.systemInstruction.parts) : '']
  for (const content of contents) texts.push(readGeminiParts(content.parts))
  // A missing role means `user`; older clients send function results as role `function`.
  const lastUser = contents.findLast((content) => content.role !== 'model')
  const lastUserText = lastUser == null ? '' : readGeminiParts(lastUser.parts)
  const lastContent = contents.at(-1)
  const offersTools = asArray(body.tools).some((tool) => isRecord(tool) && asArray(tool.functionDeclarations).length > 0)
  const wantsToolCall =
    offersTools &&
    lastContent != null &&
    lastContent.role !== 'model' &&
    !hasFunctionResponse(lastContent.parts) &&
    mentionsWeather(lastUserText)
  return { promptText: texts.join(' '), lastUserText, wantsToolCall }
}

function buildUsageMetadata(promptTokens: number, candidatesTokens: number): JsonRecord {
  return {
    promptTokenCount: promptTokens,
    ...(candidatesTokens > 0 ? { candidatesTokenCount: candidatesTokens } : {}),
    totalTokenCount: promptTokens + candidatesTokens,
    promptTokensDetails: [{ modality: 'TEXT', tokenCount: promptTokens }],
  }
}

type Chunk = { parts: JsonRecord[]; finished: boolean }

/** `:generateContent` answers one response; `:streamGenerateContent` one per word. */
function buildChunks(plan: PlannedReply, streamed: boolean): Chunk[] {
  if (plan.kind === 'tool-call') {
    return [{ parts: [{ functionCall: { name: plan.name, args: plan.input } }], finished: true }]
  }
  if (!streamed) return [{ parts: [{ text: plan.text }], finished: true }]
  return plan.pieces.map((piece, index) => ({
    parts: [{ text: piece }],
    finished: index === plan.pieces.length - 1,
  }))
}

/**
 * `POST /v1beta/models/{model}:generateContent` and `:streamGenerateContent`. With `alt=sse`
 * the stream is data-only SSE without `[DONE]`; without it, Gemini answers a JSON array.
 */
export function buildGeminiReply(options: {
  body: JsonRecord
  model: string
  action: 'generateContent' | 'streamGenerateContent'
  sse: boolean
  context: ReplyContext
}): Reply {
  const { body, model, action, sse, context } = options
  const plan = planReply(readGeminiConversation(body))
  const streamed = action === 'streamGenerateContent'
  const responses = buildChunks(plan, streamed).map((chunk) => ({
    candidates: [
      {
        content: { role: 'model', parts: chunk.parts },
        ...(chunk.finished ? { finishReason: 'STOP' } : {}),
        index: 0,
      },
    ],
    // Intermediate chunks carry only the prompt count, as the real API's do.
    usageMetadata: buildUsageMetadata(plan.promptTokens, chunk.finished ? plan.completionTokens : 0),
    modelVersion: model,
    responseId: `fake-${context.sequence}`,
  }))
  if (!streamed) return { kind: 'json', status: 200, body: responses[0], headers: {} }
  if (!sse) return { kind: 'json', status: 200, body: responses, headers: {} }
  return { kind: 'sse', frames: responses.map(dataFrame), headers: { ...sseHeaders } }
}

/** `:batchEmbedContents` (and the single `:embedContent`). */
export function buildGeminiEmbeddingReply(body: JsonRecord, batch: boolean): Reply {
  const embed = (request: unknown): JsonRecord => {
    const content = isRecord(request) ? request.content : undefined
    return { values: embedText(isRecord(content) ? readGeminiParts(content.parts) : '') }
  }
  const reply = batch ? { embeddings: asArray(body.requests).map(embed) } : { embedding: embed(body) }
  return { kind: 'json', status: 200, body: reply, headers: {} }
}
