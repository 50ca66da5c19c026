/**
 * Thompson sampling over arms `model|size-bucket` (TokenHub's scheme). Each arm keeps the number
 * of observations and the sum of their rewards (each in 0..1); its posterior is
 * Beta(sum + 1, count − sum + 1). Pure: the random source and the clock are passed in; state lives
 * in a BanditMemory that the pipeline merges with the Store (pipeline/sync-bandit-state.ts).
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
 * Rewards are discounted by age (discounted Thompson sampling on a clock): an arm's count and
 * reward sum halve every `halfLifeMs`. A favourite that degrades loses its lead within a few
 * half-lives of bad answers, and an arm nobody plays drifts back towards the uninformed prior, so
 * exploration finds it again once its provider recovers. Stats carry the time they are "as of";
 * two stats merge by bringing both to the later time and adding.
 */
export type StampedArm = ArmStats & { at: number }

export type BanditMemory = {
  readonly halfLifeMs: number
  get(arm: string, now: number): ArmStats | undefined
  record(arm: string, reward: number, now: number): void
  /** Observations since the last drain, to merge into the shared totals. */
  drainPending(): Map<string, StampedArm>
  /** Puts back what a failed flush drained, so nothing is lost. */
  restorePending(pending: Map<string, StampedArm>): void
  /** Replaces the shared totals (pending observations stay on top). */
  replaceTotals(totals: Map<string, StampedArm>): void
}

export const defaultBanditHalfLifeMs = 10 * 60_000

export function decayArm(stats: StampedArm, to: number, halfLifeMs: number): StampedArm {
  if (to <= stats.at) return stats
  const factor = 2 ** (-(to - stats.at) / halfLifeMs)
  return { count: stats.count * factor, rewardSum: stats.rewardSum * factor, at: to }
}

/** Both brought to the later time, then added (also what the store does when it merges). */
export function mergeArm(left: StampedArm | undefined, right: StampedArm, halfLifeMs: number): StampedArm {
  if (left == null) return right
  const at = Math.max(left.at, right.at)
  const a = decayArm(left, at, halfLifeMs)
  const b = decayArm(right, at, halfLifeMs)
  return { count: a.count + b.count, rewardSum: a.rewardSum + b.rewardSum, at }
}

export function createBanditMemory(options: { halfLifeMs?: number } = {}): BanditMemory {
  const halfLifeMs = options.halfLifeMs ?? defaultBanditHalfLifeMs
  let totals = new Map<string, StampedArm>()
  let pending = new Map<string, StampedArm>()
  return {
    halfLifeMs,
    get(arm, now) {
      const total = totals.get(arm)
      const local = pending.get(arm)
      const merged = local == null ? total : mergeArm(total, local, halfLifeMs)
      if (merged == null) return undefined
      const current = decayArm(merged, now, halfLifeMs)
      return { count: current.count, rewardSum: current.rewardSum }
    },
    record(arm, reward, now) {
      const clamped = Math.max(0, Math.min(1, reward))
      pending.set(arm, mergeArm(pending.get(arm), { count: 1, rewardSum: clamped, at: now }, halfLifeMs))
    },
    drainPending() {
      const drained = pending
      pending = new Map()
      return drained
    },
    restorePending(restored) {
      for (const [arm, older] of restored) {
        const newer = pending.get(arm)
        pending.set(arm, newer == null ? older : mergeArm(older, newer, halfLifeMs))
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
  now: number,
): Array<{ modelId: string; draw: number; alpha: number; beta: number }> {
  return modelIds
    .map((modelId) => {
      const { alpha, beta } = posterior(memory.get(armKey(modelId, bucket), now))
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
