import type { CatalogModel } from '../catalog/catalog-types.ts'
import { microsToUsd } from '../catalog/compute-cost.ts'
import { sizeBucket } from '../routing/estimate-request.ts'
import type { RoutingExplanation } from '../routing/routing-explanation.ts'
import type { RequestLogRow } from '../store/store.ts'
import type { AttemptRecord } from './attempt-record.ts'
import type { ExplanationRecord } from './record-explanations.ts'

/**
 * A request that named one model, with no directive, no routing constraints and no failed try,
 * was not routed: there was no choice to explain. Storing its explanation (a JSON string and a
 * message to the write thread per request) was the largest single cost of the chat hot path, so
 * nothing is stored and the explanation is rebuilt from the request-log row when it is read.
 */
export function isTrivialRoute(
  explanation: RoutingExplanation,
  candidates: readonly CatalogModel[],
  calls: readonly AttemptRecord[],
): boolean {
  if (explanation.mode !== 'explicit' || explanation.directive || candidates.length !== 1 || calls.length !== 1) return false
  for (const _key in explanation.constraints) return false
  return true
}

/** Endpoints whose answered requests are routed chat requests (embeddings are never routed). */
const chatEndpoints = new Set(['/v1/chat/completions', '/v1/completions'])

/**
 * The explanation of an unrouted request (isTrivialRoute), from its log row. The estimate is the
 * request's metered usage and the candidate's cost its actual cost, since no estimate was kept;
 * `recorded: false` says it was rebuilt (and the registry weight of the time is not known). Undefined when the row is not an answered chat request.
 */
export type RebuiltExplanation = Omit<ExplanationRecord, 'candidates'> & {
  candidates: Array<{ model: string; provider: string; estimatedCostUsd: number }>
  recorded: false
}

export function trivialExplanationFromRow(row: RequestLogRow): RebuiltExplanation | undefined {
  if (row.model == null || row.provider == null) return undefined
  // A /v1/plan step is a chat call under its plan's endpoint; only an answered one was unrouted.
  const chatCall = row.parentRequestId == null ? chatEndpoints.has(row.endpoint) : row.status === 200
  if (!chatCall) return undefined
  return {
    mode: 'explicit',
    policy: 'requested',
    reason: 'requested',
    bucket: sizeBucket(row.inputTokens),
    estimate: { inputTokens: row.inputTokens, outputTokens: row.outputTokens },
    constraints: {},
    directive: false,
    candidates: [{ model: row.model, provider: row.provider, estimatedCostUsd: microsToUsd(row.costMicros) }],
    rejected: [],
    order: [row.model],
    chosen: row.model,
    attempts: [],
    answeredBy: row.model,
    keyId: row.keyId,
    recorded: false,
  }
}
