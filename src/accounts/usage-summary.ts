import type { UsageGroup } from '../store/store.ts'

type Totals = { requests: number; tokens_in: number; tokens_out: number; cost_micros: number; cost_usd: string }

const usd = (micros: number) => (micros / 1_000_000).toFixed(6)

function add(into: Map<string, Omit<Totals, 'cost_usd'>>, name: string, group: UsageGroup) {
  const totals = into.get(name) ?? { requests: 0, tokens_in: 0, tokens_out: 0, cost_micros: 0 }
  totals.requests += group.requests
  totals.tokens_in += group.inputTokens
  totals.tokens_out += group.outputTokens
  totals.cost_micros += group.costMicros
  into.set(name, totals)
}

function rows<Name extends string>(from: Map<string, Omit<Totals, 'cost_usd'>>, name: Name) {
  return [...from].map(
    ([value, totals]) => ({ [name]: value, ...totals, cost_usd: usd(totals.cost_micros) }) as Record<Name, string> & Totals,
  )
}

/** Folds grouped request-log rows into the `GET /api/v1/usage` report (tokenroute's field names, plus breakdowns). */
export function summarizeUsage(groups: readonly UsageGroup[], rangeDays: number) {
  const perDay = new Map<string, Omit<Totals, 'cost_usd'>>()
  const perModel = new Map<string, Omit<Totals, 'cost_usd'>>()
  const perKey = new Map<string, Omit<Totals, 'cost_usd'>>()
  let requests = 0
  let tokensIn = 0
  let tokensOut = 0
  let costMicros = 0
  for (const group of groups) {
    requests += group.requests
    tokensIn += group.inputTokens
    tokensOut += group.outputTokens
    costMicros += group.costMicros
    add(perDay, group.day, group)
    add(perModel, group.model ?? 'unknown', group)
    add(perKey, group.keyId ?? 'none', group)
  }
  return {
    range_days: rangeDays,
    total_requests: requests,
    total_tokens_in: tokensIn,
    total_tokens_out: tokensOut,
    total_cost_micros: costMicros,
    total_cost_usd: usd(costMicros),
    per_day: rows(perDay, 'day'),
    per_model: rows(perModel, 'model'),
    per_key: rows(perKey, 'key_id'),
  }
}
