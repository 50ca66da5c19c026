import { microsToUsd } from '../catalog/compute-cost.ts'
import type { RequestLogRow } from '../store/store.ts'

/** A request-log row's tokens, cost and latency in the API's JSON form. */
export type RequestUsageView = {
  usage: { input_tokens: number; output_tokens: number; cached_input_tokens: number; reasoning_tokens: number }
  cost_micros: number
  cost_usd: number
  latency_ms: number
}

/**
 * The part every view of a logged request shares: the request views of the admin and management
 * APIs (http/routes/admin-requests-routes.ts) and /v1/plan's step summaries (plan/plan-step-runner.ts).
 */
export function viewRequestUsage(row: RequestLogRow): RequestUsageView {
  return {
    usage: {
      input_tokens: row.inputTokens,
      output_tokens: row.outputTokens,
      cached_input_tokens: row.cachedInputTokens,
      reasoning_tokens: row.reasoningTokens,
    },
    cost_micros: row.costMicros,
    cost_usd: microsToUsd(row.costMicros),
    latency_ms: row.latencyMs,
  }
}
