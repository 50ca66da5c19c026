import type { Rejection } from './apply-constraints.ts'
import type { RoutingOptions } from './routing-options.ts'

/**
 * Why a request went where it went (seam 7). Stored as JSON per request id and shown by the
 * admin request route; `attempts` is resilience's part and may be added beside it.
 */
export type RoutingExplanation = {
  mode: 'explicit' | 'auto' | 'directive'
  /** The policy that ordered the candidates (`requested` for an explicit model list). */
  policy: string
  reason: string
  tier?: string
  classifierScore?: number
  /** For `thompson`: the arm bucket the reward goes to. */
  bucket: string
  estimate: { inputTokens: number; outputTokens: number }
  constraints: RoutingOptions
  directive: boolean
  candidates: Array<{
    model: string
    provider: string
    weight: number
    estimatedCostUsd: number
    score?: number
    terms?: { cost: number; latency: number; failure: number; weight: number }
    thompsonDraw?: number
  }>
  rejected: Rejection[]
  /** The order handed to the call path (the first is the choice unless it fails). */
  order: string[]
  chosen: string
}
