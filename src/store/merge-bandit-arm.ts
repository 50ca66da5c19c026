import type { BanditArmState } from './routing-store.ts'

/** The store's side of the bandit merge (same rule as routing/thompson-bandit.ts mergeArm). */
export function mergeBanditArm(stored: BanditArmState | undefined, delta: BanditArmState, halfLifeMs: number): BanditArmState {
  if (stored == null) return delta
  const at = Math.max(stored.at, delta.at)
  const decay = (state: BanditArmState) => 2 ** (-(at - state.at) / halfLifeMs)
  const storedFactor = decay(stored)
  const deltaFactor = decay(delta)
  return {
    count: stored.count * storedFactor + delta.count * deltaFactor,
    rewardSum: stored.rewardSum * storedFactor + delta.rewardSum * deltaFactor,
    at,
  }
}
