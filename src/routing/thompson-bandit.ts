/**
 * Thompson sampling over arms `model|size-bucket` (TokenHub's scheme). Each arm keeps the number
 * of observations and the sum of their rewards (each in 0..1); its posterior is
 * Beta(sum + 1, count − sum + 1). Pure: the random source is passed in, state lives in a
 * BanditMemory that the caller persists and merges (see bandit-sync in the pipeline).
 */
export type ArmStats = { count: number; rewardSum: number }
export type Random = () => number

export function armKey(modelId: string, bucket: string): string {
  return `${modelId}|${bucket}`
}

/**
 * TokenHub's reward for a finished request: 0 on failure, otherwise 0.4 plus up to 0.3 for being
 * cheap (relative to $0.10) and up to 0.3 for being fast (relative to the latency budget, ≥ 1 s).
 */
export function requestReward(outcome: { success: boolean; latencyMs: number; costMicros: number; latencyBudgetMs: number }): number {
  if (!outcome.success) return 0
  const costNorm = Math.min(outcome.costMicros / 100_000, 1)
  const latencyNorm = Math.min(outcome.latencyMs / Math.max(outcome.latencyBudgetMs, 1_000), 1)
  return (1 - costNorm) * 0.3 + (1 - latencyNorm) * 0.3 + 0.4
}

/** Standard normal by Box–Muller. */
function sampleNormal(random: Random): number {
  const u = Math.max(random(), Number.MIN_VALUE)
  const v = random()
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
}

/** Gamma(shape, 1) by Marsaglia–Tsang; shape < 1 via the boost Gamma(shape+1)·U^(1/shape). */
export function sampleGamma(shape: number, random: Random): number {
  if (shape < 1) return sampleGamma(shape + 1, random) * random() ** (1 / shape)
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    let x: number
    let v: number
    do {
      x = sampleNormal(random)
      v = 1 + c * x
    } while (v <= 0)
    v = v * v * v
    const u = random()
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v
  }
}

export function sampleBeta(alpha: number, beta: number, random: Random): number {
  const x = sampleGamma(alpha, random)
  const y = sampleGamma(beta, random)
  return x + y === 0 ? 0.5 : x / (x + y)
}

export function posterior(stats: ArmStats | undefined): { alpha: number; beta: number } {
  if (stats == null) return { alpha: 1, beta: 1 }
  return { alpha: stats.rewardSum + 1, beta: Math.max(stats.count - stats.rewardSum + 1, 1) }
}

/**
 * The arms' state in one process: totals last read from the shared store plus this process's
 * observations not yet flushed. Reads see both, so a replica learns from its own traffic at once
 * and from the others' at each merge.
 *
 * Rewards are discounted (discounted Thompson sampling): each new observation of an arm first
 * multiplies that arm's count and reward sum by `decay`, so an arm's posterior reflects roughly its
 * last 1/(1 − decay) plays and a degraded favourite loses its lead in tens of requests, not
 * thousands. A pending batch of n observations therefore merges as total·decayⁿ + pending.
 */
export type PendingArm = ArmStats & { observations: number }

export type BanditMemory = {
  readonly decay: number
  get(arm: string): ArmStats | undefined
  record(arm: string, reward: number): void
  /** Observations since the last drain, to merge into the shared totals. */
  drainPending(): Map<string, PendingArm>
  /** Puts back what a failed flush drained, so nothing is lost. */
  restorePending(pending: Map<string, PendingArm>): void
  /** Replaces the shared totals (pending observations stay on top). */
  replaceTotals(totals: Map<string, ArmStats>): void
}

export const defaultBanditDecay = 0.99

/** total·decayⁿ + pending: how a pending batch lands on a total (also what the store computes). */
export function mergeArm(total: ArmStats | undefined, pending: PendingArm, decay: number): ArmStats {
  const factor = decay ** pending.observations
  return { count: (total?.count ?? 0) * factor + pending.count, rewardSum: (total?.rewardSum ?? 0) * factor + pending.rewardSum }
}

export function createBanditMemory(options: { decay?: number } = {}): BanditMemory {
  const decay = options.decay ?? defaultBanditDecay
  let totals = new Map<string, ArmStats>()
  let pending = new Map<string, PendingArm>()
  return {
    decay,
    get(arm) {
      const local = pending.get(arm)
      if (local == null) return totals.get(arm)
      return mergeArm(totals.get(arm), local, decay)
    },
    record(arm, reward) {
      const current = pending.get(arm)
      const clamped = Math.max(0, Math.min(1, reward))
      pending.set(arm, {
        count: (current?.count ?? 0) * decay + 1,
        rewardSum: (current?.rewardSum ?? 0) * decay + clamped,
        observations: (current?.observations ?? 0) + 1,
      })
    },
    drainPending() {
      const drained = pending
      pending = new Map()
      return drained
    },
    restorePending(restored) {
      for (const [arm, older] of restored) {
        const newer = pending.get(arm)
        pending.set(
          arm,
          newer == null ? older : { ...mergeArm(older, newer, decay), observations: older.observations + newer.observations },
        )
      }
    },
    replaceTotals(next) {
      totals = next
    },
  }
}

/** One Beta draw per arm; returns the ids ordered by draw, highest first, with the draws. */
export function thompsonOrder(
  modelIds: readonly string[],
  bucket: string,
  memory: Pick<BanditMemory, 'get'>,
  random: Random,
): Array<{ modelId: string; draw: number; alpha: number; beta: number }> {
  return modelIds
    .map((modelId) => {
      const { alpha, beta } = posterior(memory.get(armKey(modelId, bucket)))
      return { modelId, draw: sampleBeta(alpha, beta, random), alpha, beta }
    })
    .sort((left, right) => right.draw - left.draw)
}

/** Seeded PRNG (mulberry32) for simulations and tests; production uses Math.random. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}
