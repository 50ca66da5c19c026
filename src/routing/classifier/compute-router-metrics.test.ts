import { describe, expect, test } from 'bun:test'
import { computeRouterMetrics, computeRoutingCurve } from './compute-router-metrics.ts'

// Four prompts, by descending score: strong-only, both right, weak-only, strong-only.
// Weak accuracy 2/4, strong 3/4. Routed accuracy at 0, 25, 50, 75, 100% strong calls:
// 0.50, 0.75, 0.75, 0.50, 0.75. Trapezoid area = 0.25 * (0.625 + 0.75 + 0.625 + 0.625)
// = 0.65625, so APGR = (0.65625 - 0.5) / (0.75 - 0.5) = 0.625.
// CPT(50%): target 0.625, crossed halfway into the first step: 0.125.
// CPT(80%): target 0.70, crossed at 0.2 / 0.25 of the first step: 0.2.
const handExample = [
  { score: 0.9, weakCorrect: false, strongCorrect: true },
  { score: 0.6, weakCorrect: true, strongCorrect: true },
  { score: 0.4, weakCorrect: true, strongCorrect: false },
  { score: 0.1, weakCorrect: false, strongCorrect: true },
]

describe('computeRouterMetrics', () => {
  test('matches the hand-computed curve, APGR and CPT', () => {
    expect(computeRoutingCurve(handExample).map((point) => point.accuracy)).toEqual([0.5, 0.75, 0.75, 0.5, 0.75])
    const metrics = computeRouterMetrics(handExample)
    expect(metrics.weakAccuracy).toBe(0.5)
    expect(metrics.strongAccuracy).toBe(0.75)
    expect(metrics.apgr).toBeCloseTo(0.625, 10)
    expect(metrics.cpt50).toBeCloseTo(0.125, 10)
    expect(metrics.cpt80).toBeCloseTo(0.2, 10)
  })

  test('routes tied scores together', () => {
    const tied = handExample.map((example) => ({ ...example, score: 0.5 }))
    const curve = computeRoutingCurve(tied)
    expect(curve).toEqual([
      { strongShare: 0, accuracy: 0.5 },
      { strongShare: 1, accuracy: 0.75 },
    ])
    // A single straight line from weak to strong is exactly the random router's 0.5.
    expect(computeRouterMetrics(tied).apgr).toBeCloseTo(0.5, 10)
  })

  test('an oracle ordering beats the reversed ordering', () => {
    const oracle = computeRouterMetrics(handExample.map((e, i) => ({ ...e, score: [4, 2, 1, 3][i] ?? 0 })))
    const reversed = computeRouterMetrics(handExample.map((e, i) => ({ ...e, score: -([4, 2, 1, 3][i] ?? 0) })))
    expect(oracle.apgr).toBeGreaterThan(reversed.apgr)
  })
})
