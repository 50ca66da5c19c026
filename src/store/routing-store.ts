// Routing's persistent state (migrations 10–19): per-request routing explanations (seam 7) and
// the Thompson bandit's arms, shared by every replica that uses the same database.

export type BanditArmDelta = {
  arm: string
  /** decayⁿ for the n observations in this delta: the stored totals are multiplied by it first. */
  factor: number
  count: number
  rewardSum: number
}

export interface RoutingStore {
  explanations: {
    /** JSON text; a second write for the same request id replaces the first. */
    put(requestId: string, json: string, createdAt: number): Promise<void>
    get(requestId: string): Promise<string | undefined>
  }
  bandit: {
    /** Atomically merges each delta: count = count·factor + delta.count (same for the reward sum). */
    merge(deltas: readonly BanditArmDelta[], at: number): Promise<void>
    load(): Promise<Map<string, { count: number; rewardSum: number }>>
  }
}
