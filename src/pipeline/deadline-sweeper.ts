/** Something with a deadline: `expire` runs once if it is still pending when its time comes. */
export type Expiring = { readonly expiresAt: number; expire(): void }

/**
 * Deadlines checked by one interval timer rather than a timer each. Upstream calls set a
 * first-byte deadline and nearly all of them clear it long before it is due; a per-call
 * setTimeout/clearTimeout pair (and the closure it keeps) was measurable on the hot path, while
 * adding to and deleting from a set costs next to nothing. The timer runs only while something is
 * pending, so an idle gateway has no timer, and a deadline fires at most `tickMs` late.
 */
export class DeadlineSweeper {
  private readonly pending = new Set<Expiring>()
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
    this.pending.add(entry)
    this.timer ??= setInterval(() => this.sweep(), this.tickMs)
  }

  delete(entry: Expiring): void {
    this.pending.delete(entry)
    if (this.pending.size === 0 && this.timer != null) {
      clearInterval(this.timer)
      this.timer = undefined
    }
  }

  private sweep(): void {
    const now = this.now()
    for (const entry of this.pending) {
      if (entry.expiresAt > now) continue
      this.delete(entry)
      entry.expire()
    }
  }
}
