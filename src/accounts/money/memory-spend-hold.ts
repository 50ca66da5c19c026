import { spendMonthOf } from '../../store/row-mapping.ts'
import type { LedgerEntry } from '../../store/store.ts'
import type { SpendHold } from './spend-ledger.ts'

export type AccountState = { balance: number; reserved: number }
export type KeyState = { spent: number; month: string; monthSpent: number; reserved: number }

/** What a hold needs from its ledger: the clock, and the queue of ledger rows to write. */
export type HoldBook = { now(): number; enqueue(entry: LedgerEntry): void }

/**
 * One request's hold in the memory ledger (memory-spend-ledger.ts), already added to the account's
 * and key's `reserved`. A class, so a hold is one object per request instead of five closures.
 */
export class MemorySpendHold implements SpendHold {
  private open = true
  // What is still held: part charges (a plan's steps) take from it.
  private held: number

  constructor(
    private readonly book: HoldBook,
    private readonly account: AccountState,
    private readonly key: KeyState,
    private readonly userId: string,
    private readonly keyId: string,
    private readonly requestId: string,
    readonly heldMicros: number,
  ) {
    this.held = heldMicros
  }

  settle(costMicros: number, note: string): void {
    if (!this.open) return
    this.open = false
    this.debit(this.requestId, costMicros, note)
    this.unhold(this.held)
  }

  release(): void {
    if (!this.open) return
    this.open = false
    this.unhold(this.held)
  }

  charge(entryId: string, costMicros: number, note: string): number {
    if (!this.open) return 0
    return this.debit(entryId, costMicros, note)
  }

  private unhold(micros: number): void {
    this.held -= micros
    this.account.reserved -= micros
    this.key.reserved -= micros
  }

  /** Debits memory at once and queues the ledger row (synchronous: no await between). */
  private debit(entryId: string, costMicros: number, note: string): number {
    const charge = Math.max(0, Math.min(Math.round(costMicros), this.held))
    this.unhold(charge)
    if (charge === 0) return 0
    const { account, key } = this
    const settledAt = this.book.now()
    const settledMonth = spendMonthOf(settledAt)
    if (key.month !== settledMonth) {
      key.month = settledMonth
      key.monthSpent = 0
    }
    account.balance -= charge
    key.spent += charge
    key.monthSpent += charge
    this.book.enqueue({
      id: entryId,
      userId: this.userId,
      keyId: this.keyId,
      kind: 'charge',
      amountMicros: -charge,
      note,
      actor: `key:${this.keyId}`,
      requestId: entryId,
      createdAt: settledAt,
    })
    return charge
  }
}
