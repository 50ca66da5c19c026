import type { RateLimiter } from './rate-limiter.ts'

/**
 * One admitted request's claim on its key's limits. `finish` runs once, whoever calls it first:
 * the pipeline when the JSON answer is ready or the stream ends (with the real token count), or
 * the rate-limit middleware when the request failed before that (keeping the estimate).
 * A class, so the per-request object carries no closures.
 */
export class AdmissionTicket {
  private finished = false

  constructor(
    private readonly limiter: RateLimiter,
    private readonly keyId: string,
    private readonly leaseId: string,
    private readonly heldSlot: boolean,
    /** Whether the key has a tokens-per-minute limit, i.e. whether a token correction matters. */
    private readonly tracksTokens: boolean,
    private readonly minuteWindow: number,
    private readonly estimatedTokens: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  get isFinished(): boolean {
    return this.finished
  }

  finish(tokensUsed: number | undefined): void {
    if (this.finished) return
    this.finished = true
    const corrects = this.tracksTokens && tokensUsed != null && tokensUsed !== this.estimatedTokens
    if (!this.heldSlot && !corrects) return
    this.limiter
      .finish({
        keyId: this.keyId,
        leaseId: this.leaseId,
        heldSlot: this.heldSlot,
        minuteWindow: this.minuteWindow,
        estimatedTokens: this.estimatedTokens,
        actualTokens: corrects ? tokensUsed : undefined,
      })
      .catch(this.onError)
  }
}
