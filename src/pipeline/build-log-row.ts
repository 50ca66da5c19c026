import type { Usage } from '../providers/provider-adapter.ts'
import type { RequestLogRow } from '../store/store.ts'
import type { RequestContext } from './pipeline-types.ts'

/** The one request-log row a request leaves, whatever happened to it. */
export function buildLogRow(options: {
  context: RequestContext
  finishedAt: number
  model: string | null
  provider: string | null
  status: number
  errorCode: string | null
  stream: boolean
  usage: Usage | undefined
  costMicros: number
  ttftMs: number | null
}): RequestLogRow {
  const { context, usage } = options
  return {
    requestId: context.requestId,
    keyId: context.keyId,
    endpoint: context.endpoint,
    model: options.model,
    provider: options.provider,
    status: options.status,
    errorCode: options.errorCode,
    stream: options.stream,
    inputTokens: usage?.inputTokens ?? 0,
    outputTokens: usage?.outputTokens ?? 0,
    cachedInputTokens: usage?.cachedInputTokens ?? 0,
    reasoningTokens: usage?.reasoningTokens ?? 0,
    costMicros: options.costMicros,
    latencyMs: Math.max(0, Math.round(options.finishedAt - context.startedAt)),
    ttftMs: options.ttftMs,
    createdAt: Math.round(context.startedAt),
  }
}
