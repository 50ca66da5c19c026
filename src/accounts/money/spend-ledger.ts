import { GatewayError } from '../../errors/gateway-error.ts'
import type { ApiKeyRecord, LedgerEntry, ReserveOutcome } from '../../store/store.ts'

/** A held worst-case amount. Exactly one of settle/release takes effect; later calls do nothing. */
export type SpendHold = {
  readonly heldMicros: number
  /** Charges min(cost, held) and releases the rest at once. */
  settle(costMicros: number, note: string): void
  release(): void
  /**
   * Charges part of the hold as its own ledger row (`entryId`: a plan step's request id) and
   * shrinks the hold by it; charges min(cost, what is still held). The hold stays open for more
   * parts until settle or release frees what is left. Returns the micro-dollars charged.
   */
  charge(entryId: string, costMicros: number, note: string): number
}

/** Seam 2: crediting money exactly once per idempotency key. */
export type CreditInput = { userId: string; amountMicros: number; note: string; idempotencyKey: string; actor: string; requestId: string }
export type CreditFunction = (input: CreditInput) => Promise<{ applied: boolean; balanceMicros: number }>

/** The ledger row of a credit: its idempotency key is its id, so a repeated credit is applied once. */
export function creditEntry(input: CreditInput, createdAt: number): LedgerEntry {
  return {
    id: input.idempotencyKey,
    userId: input.userId,
    keyId: null,
    kind: 'credit',
    amountMicros: input.amountMicros,
    note: input.note,
    actor: input.actor,
    requestId: input.requestId,
    createdAt,
  }
}

/**
 * Balances, holds and charges. Two implementations: in memory in front of the store (one
 * process: exact, no database read per request) and in the database with conditional UPDATEs
 * (several processes on one PostgreSQL). See docs/money.md.
 */
export type SpendLedger = {
  readonly mode: 'memory' | 'shared'
  /**
   * Holds `amountMicros` or throws the 402. In memory mode a user and key already loaded are held
   * at once, without a promise (the hot path); the first request of each, and shared mode, wait.
   */
  reserve(input: { requestId: string; apiKey: ApiKeyRecord; amountMicros: number; now: number }): SpendHold | Promise<SpendHold>
  credit: CreditFunction
  /** The balance as this process sees it (memory mode includes charges not yet written). */
  balance(userId: string): Promise<{ balanceMicros: number; reservedMicros: number }>
  /** Writes every settled charge; resolves when the database agrees with memory. */
  flush(): Promise<void>
  close(): Promise<void>
}

const limitNames: Record<Exclude<ReserveOutcome, 'reserved'>, string> = {
  balance: 'account balance',
  key_limit: "key's spend ceiling (limit_usd)",
  monthly_budget: "key's monthly budget (monthly_budget_usd)",
  no_account: 'account balance',
}

/** 402 in OpenAI's envelope, naming the limit; `x-should-retry: false` stops the SDKs retrying. */
export function insufficientQuota(limit: Exclude<ReserveOutcome, 'reserved'>, neededMicros: number): GatewayError {
  const needed = (neededMicros / 1_000_000).toFixed(6)
  const remedy =
    limit === 'balance' || limit === 'no_account'
      ? 'Top up the account or ask an admin to credit it.'
      : limit === 'key_limit'
        ? "Raise the key's limit_usd or use another key."
        : "Wait for next month or raise the key's monthly_budget_usd."
  return new GatewayError(
    'insufficient_quota',
    `Insufficient quota: this request may cost up to $${needed}, more than the ${limitNames[limit]} has left. ${remedy} Lowering max_tokens lowers the amount held.`,
    { param: limit === 'no_account' ? 'balance' : limit, headers: { 'x-should-retry': 'false' } },
  )
}
