import { describe, expect, test } from 'bun:test'
import {
  armKey,
  createBanditMemory,
  mergeArm,
  posterior,
  requestReward,
  sampleBeta,
  seededRandom,
  thompsonOrder,
} from './thompson-bandit.ts'

describe('Beta sampling', () => {
  test('sample means match the distribution (seeded)', () => {
    const random = seededRandom(42)
    for (const [alpha, beta] of [
      [1, 1],
      [3, 7],
      [0.5, 0.5],
      [40, 2],
    ] as const) {
      let sum = 0
      const draws = 20_000
      for (let index = 0; index < draws; index++) {
        const draw = sampleBeta(alpha, beta, random)
        expect(draw).toBeGreaterThanOrEqual(0)
        expect(draw).toBeLessThanOrEqual(1)
        sum += draw
      }
      expect(sum / draws).toBeCloseTo(alpha / (alpha + beta), 2)
    }
  })

  test('posterior of an unseen arm is Beta(1,1); rewards move it', () => {
    expect(posterior(undefined)).toEqual({ alpha: 1, beta: 1 })
    expect(posterior({ count: 10, rewardSum: 7.5 })).toEqual({ alpha: 8.5, beta: 3.5 })
  })
})

describe('rewards', () => {
  test('TokenHub’s formula: 0 on failure, 0.4..1 on success', () => {
    expect(requestReward({ success: false, latencyMs: 10, costMicros: 0, latencyBudgetMs: 20_000 })).toBe(0)
    expect(requestReward({ success: true, latencyMs: 0, costMicros: 0, latencyBudgetMs: 20_000 })).toBeCloseTo(1, 12)
    expect(requestReward({ success: true, latencyMs: 60_000, costMicros: 500_000, latencyBudgetMs: 20_000 })).toBeCloseTo(0.4, 12)
    expect(requestReward({ success: true, latencyMs: 10_000, costMicros: 50_000, latencyBudgetMs: 20_000 })).toBeCloseTo(0.7, 12)
  })
})

describe('memory', () => {
  test('stats halve every half-life; pending merges onto totals at the later time', () => {
    const memory = createBanditMemory({ halfLifeMs: 1_000 })
    memory.replaceTotals(new Map([['a|small', { count: 8, rewardSum: 4, at: 0 }]]))
    expect(memory.get('a|small', 1_000)).toEqual({ count: 4, rewardSum: 2 })
    memory.record('a|small', 1, 1_000)
    memory.record('a|small', 0, 2_000)
    // totals at 2 s: 2/1; pending at 2 s: (1,1) halved + (1,0) = (1.5, 0.5)
    expect(memory.get('a|small', 2_000)).toEqual({ count: 3.5, rewardSum: 1.5 })
    const drained = memory.drainPending()
    expect(drained.get('a|small')).toEqual({ count: 1.5, rewardSum: 0.5, at: 2_000 })
    expect(memory.get('a|small', 2_000)).toEqual({ count: 2, rewardSum: 1 })
    memory.record('a|small', 1, 2_000)
    memory.restorePending(drained)
    expect(memory.get('a|small', 2_000)).toEqual({ count: 4.5, rewardSum: 2.5 })
    expect(mergeArm({ count: 2, rewardSum: 2, at: 0 }, { count: 1, rewardSum: 0, at: 1_000 }, 1_000)).toEqual({
      count: 2,
      rewardSum: 1,
      at: 1_000,
    })
  })
})

// The seeded simulation the issue asks for: three arms with different expected rewards. The
// bandit must come to play the best arm almost always, then, when that arm degrades, move to the
// next best within a bounded number of requests.
describe('simulation (seeded)', () => {
  type Arm = { id: string; successRate: number; rewardOnSuccess: number }

  // One request per simulated second; the half-life is two minutes.
  const clock = { now: 0 }
  function play(arms: Arm[], rounds: number, memory: ReturnType<typeof createBanditMemory>, random: () => number): string[] {
    const picks: string[] = []
    for (let round = 0; round < rounds; round++) {
      clock.now += 1_000
      const [choice] = thompsonOrder(
        arms.map((arm) => arm.id),
        'small',
        memory,
        random,
        clock.now,
      )
      const arm = arms.find((candidate) => candidate.id === choice?.modelId)
      if (arm == null) throw new Error('no arm')
      const reward = random() < arm.successRate ? arm.rewardOnSuccess : 0
      memory.record(armKey(arm.id, 'small'), reward, clock.now)
      picks.push(arm.id)
    }
    return picks
  }

  const share = (picks: readonly string[], id: string) => picks.filter((pick) => pick === id).length / picks.length

  for (const seed of [1, 2, 3, 4, 5]) {
    test(`seed ${seed}: converges on the best arm, recovers when it degrades`, () => {
      const random = seededRandom(seed)
      const memory = createBanditMemory({ halfLifeMs: 120_000 })
      const arms: Arm[] = [
        { id: 'best', successRate: 0.97, rewardOnSuccess: 0.9 },
        { id: 'good', successRate: 0.9, rewardOnSuccess: 0.7 },
        { id: 'poor', successRate: 0.6, rewardOnSuccess: 0.6 },
      ]
      const learning = play(arms, 1_500, memory, random)
      expect(share(learning.slice(-500), 'best')).toBeGreaterThan(0.8)

      // The best arm's provider starts failing most requests.
      arms[0] = { id: 'best', successRate: 0.2, rewardOnSuccess: 0.9 }
      const afterDegradation = play(arms, 1_500, memory, random)
      // Within 300 requests it has lost its lead, and it ends up rarely played.
      expect(share(afterDegradation.slice(300), 'good')).toBeGreaterThan(0.7)
      expect(share(afterDegradation.slice(-500), 'best')).toBeLessThan(0.15)

      // It recovers: traffic comes back once exploration sees it answer well again.
      arms[0] = { id: 'best', successRate: 0.97, rewardOnSuccess: 0.9 }
      const afterRecovery = play(arms, 3_000, memory, random)
      expect(share(afterRecovery.slice(-500), 'best')).toBeGreaterThan(0.6)
    })
  }
})
