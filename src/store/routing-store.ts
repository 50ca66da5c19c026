// Routing's persistent state (migrations 10–19): per-request routing explanations (seam 7) and
// the Thompson bandit's arms, shared by every replica that uses the same database.

/** An arm's discounted count and reward sum as of time `at` (epoch ms). */
export type BanditArmState = { count: number; rewardSum: number; at: number }
export type BanditArmDelta = BanditArmState & { arm: string }

/** A model or provider added, changed or disabled through the admin API (migration 11). */
export type RegistryEntryRow = {
  kind: 'model' | 'provider'
  id: string
  /** The entry in switchyard.yaml's shape, as JSON; null for a built-in that is only disabled. */
  spec: string | null
  disabled: boolean
  updatedAt: number
}

export interface RoutingStore {
  explanations: {
    /** JSON text; a second write for the same request id replaces the first. */
    put(requestId: string, json: string, createdAt: number): Promise<void>
    get(requestId: string): Promise<string | undefined>
  }
  bandit: {
    /**
     * Atomically merges each delta into its arm: both are brought to the later time (halving every
     * `halfLifeMs`), then added. Concurrent merges of the same arm lose nothing.
     */
    merge(deltas: readonly BanditArmDelta[], halfLifeMs: number): Promise<void>
    load(): Promise<Map<string, BanditArmState>>
  }
  registry: {
    list(): Promise<RegistryEntryRow[]>
    /** Inserts or replaces the entry (kind, id). */
    put(row: RegistryEntryRow): Promise<void>
    /** Changes whenever any entry changes: replicas poll it to know when to reload. */
    version(): Promise<string>
  }
}
