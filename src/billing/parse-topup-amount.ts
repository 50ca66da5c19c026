import { GatewayError } from '../errors/gateway-error.ts'

/**
 * `amount_usd` from a top-up request, as whole cents: a number (or numeric string, as the CLI may
 * send) of at most two decimals, within the configured bounds. Every refusal names the param.
 */
export function parseTopupAmountCents(body: unknown, bounds: { minUsd: number; maxUsd: number }): number {
  const raw = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).amount_usd : undefined
  if (raw === undefined) throw invalid('`amount_usd` is required: the amount to add, in US dollars (for example 10 or 12.50).')
  const amount = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(raw) ? Number(raw) : Number.NaN
  if (!Number.isFinite(amount)) throw invalid('`amount_usd` must be a number of US dollars, such as 10 or 12.50.')
  const cents = Math.round(amount * 100)
  if (Math.abs(amount * 100 - cents) > 1e-6) throw invalid('`amount_usd` has more than two decimals; amounts are in whole cents.')
  if (amount < bounds.minUsd) throw invalid(`\`amount_usd\` must be at least ${formatUsd(bounds.minUsd * 100)} USD.`)
  if (amount > bounds.maxUsd) throw invalid(`\`amount_usd\` must be at most ${formatUsd(bounds.maxUsd * 100)} USD.`)
  return cents
}

/** Cents as a dollar string with two decimals (`12.50`), the shape tokenroute returns. */
export function formatUsd(cents: number): string {
  return (Math.round(cents) / 100).toFixed(2)
}

function invalid(message: string): GatewayError {
  return new GatewayError('invalid_request', message, { param: 'amount_usd' })
}
