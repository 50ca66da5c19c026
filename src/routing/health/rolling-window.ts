const bucketCount = 10

/**
 * Calls and failures over the last `windowMs`, in ten fixed buckets: O(1) per call, no timers,
 * no allocation after construction. Buckets older than the window are cleared lazily.
 */
export class RollingWindow {
  private readonly calls = new Array<number>(bucketCount).fill(0)
  private readonly failures = new Array<number>(bucketCount).fill(0)
  private readonly bucketMs: number
  /** Index (time / bucketMs) of the newest bucket written. */
  private newest = Number.NEGATIVE_INFINITY

  constructor(windowMs: number) {
    this.bucketMs = Math.max(1, windowMs / bucketCount)
  }

  add(now: number, failed: boolean): void {
    const index = this.advance(now)
    const slot = index % bucketCount
    this.calls[slot] = (this.calls[slot] ?? 0) + 1
    if (failed) this.failures[slot] = (this.failures[slot] ?? 0) + 1
  }

  totals(now: number): { calls: number; failures: number } {
    this.advance(now)
    let calls = 0
    let failures = 0
    for (let slot = 0; slot < bucketCount; slot += 1) {
      calls += this.calls[slot] ?? 0
      failures += this.failures[slot] ?? 0
    }
    return { calls, failures }
  }

  clear(): void {
    this.calls.fill(0)
    this.failures.fill(0)
  }

  /** Moves the window to `now`, zeroing the buckets it skipped over; returns the current bucket index. */
  private advance(now: number): number {
    const index = Math.floor(now / this.bucketMs)
    if (index <= this.newest) return this.newest
    const skipped = Math.min(bucketCount, index - this.newest)
    for (let step = 1; step <= skipped; step += 1) {
      const slot = (((index - skipped + step) % bucketCount) + bucketCount) % bucketCount
      this.calls[slot] = 0
      this.failures[slot] = 0
    }
    this.newest = index
    return index
  }
}
