/**
 * Seam 2: how a verified payment reaches the ledger. The accounts branch owns balances and provides
 * this; `applied` is false when that idempotency key was already credited (exactly once).
 */
export type CreditFunction = (input: {
  userId: string
  amountMicros: number
  note: string
  idempotencyKey: string
  actor: string
  requestId: string
}) => Promise<{ applied: boolean; balanceMicros: number }>
