/**
 * Something pending with a deadline, whose caller may also leave before it: `expire` runs once if
 * it is still pending when its time comes, and `abandon` runs once if `isAbandoned()` turns true
 * first. `deadlineSlot` is the sweeper's bookkeeping (its index in the pending list; -1 when not pending).
 */
export type Expiring = {
  readonly expiresAt: number
  deadlineSlot: number
  expire(): void
  isAbandoned(): boolean
  abandon(): void
}

/**
 * Deadlines and departed callers checked by one interval timer rather than a timer and a listener
 * each. Upstream calls set a first-byte deadline and nearly all of them clear it long before it is
 * due; a per-call setTimeout/clearTimeout pair (and the closure it keeps) was measurable on the hot
 * path, and so was an abort listener on the client's signal (docs/benchmarks.md). Pending entries
 * sit in an array and know their index, so adding and removing are O(1) without hashing. The
 * timer runs only while something is pending, so an idle gateway has no timer, and a deadline
 * fires, or a departure is noticed, at most `tickMs` late.
 */
export class DeadlineSweeper {
  private readonly pending: Expiring[] = []
  private timer: ReturnType<typeof setInterval> | undefined

  constructor(
    private readonly now: () => number = performance.now.bind(performance),
    private readonly tickMs = 10,
  ) {}

  /** The clock deadlines are measured on (`expiresAt` = now() + timeout). */
  time(): number {
    return this.now()
  }

  add(entry: Expiring): void {
    entry.deadlineSlot = this.pending.length
    this.pending.push(entry)
    this.timer ??= setInterval(() => this.sweep(), this.tickMs)
  }

  delete(entry: Expiring): void {
    const slot = entry.deadlineSlot
    if (slot < 0 || this.pending[slot] !== entry) return
    // The last entry takes the freed slot.
    const last = this.pending.pop() as Expiring
    if (last !== entry) {
      this.pending[slot] = last
      last.deadlineSlot = slot
    }
    entry.deadlineSlot = -1
    if (this.pending.length === 0 && this.timer != null) {
      clearInterval(this.timer)
      this.timer = undefined
    }
  }

  private sweep(): void {
    const now = this.now()
    // Backwards, so that an entry moved into a freed slot has been looked at already.
    for (let index = this.pending.length - 1; index >= 0; index--) {
      const entry = this.pending[index]
      if (entry == null) continue
      if (entry.expiresAt <= now) {
        this.delete(entry)
        entry.expire()
      } else if (entry.isAbandoned()) {
        this.delete(entry)
        entry.abandon()
      }
    }
  }
}
