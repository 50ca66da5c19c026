import { describe, expect, test } from 'bun:test'
import type { ModelPricing } from '../catalog/catalog-types.ts'
import { planStepBudgets, planWorstCaseMicros, type WorstCaseInput } from './plan-worst-case.ts'

const price = (input: number, output: number): ModelPricing => ({
  inputPerMillion: input * 1_000_000,
  cachedInputPerMillion: input * 1_000_000,
  cacheWritePerMillion: input * 1_000_000,
  outputPerMillion: output * 1_000_000,
})
const a = { id: 'a', pricing: price(1, 2) }
const b = { id: 'b', pricing: price(2, 4) }
const c = { id: 'c', pricing: price(3, 6) }
const base: WorstCaseInput = {
  mode: 'planning',
  iterations: 1,
  returnPlanOnly: false,
  promptTokens: 100,
  maxTokensPerStep: 10,
  overheadTokens: 0,
  maxRepairs: 0,
  lineup: { primary: a, review: b, voters: [a, b, c], judge: c },
}

describe('planWorstCaseMicros', () => {
  test('step counts match the documented multipliers', () => {
    const roles = (input: Partial<WorstCaseInput>) => planStepBudgets({ ...base, ...input }).map((step) => step.role)
    expect(roles({ mode: 'adversarial', iterations: 2 })).toEqual(['plan', 'critique', 'refine', 'critique', 'refine'])
    expect(roles({ mode: 'adversarial', iterations: 2, returnPlanOnly: true })).toEqual(['plan'])
    expect(roles({ mode: 'vote' })).toEqual(['voter', 'voter', 'voter', 'judge'])
    expect(roles({ mode: 'refine', iterations: 3 })).toEqual(['answer', 'improve', 'improve', 'improve'])
    expect(roles({ mode: 'planning', maxRepairs: 2 })).toEqual(['plan', 'repair', 'repair'])
  })

  test('prices every step at its limits, reading earlier answers at twice the step limit', () => {
    // planning: 100 in × 1 + 10 out × 2 = 120 micro-dollars.
    expect(planWorstCaseMicros(base)).toBe(120)
    // adversarial, 1 round: plan 120; critique by b: (100 + 20) × 2 + 10 × 4 = 280; refine by a: (100 + 40) × 1 + 20 = 160.
    expect(planWorstCaseMicros({ ...base, mode: 'adversarial' })).toBe(120 + 280 + 160)
    // vote: voters 120 + 240 + 360; judge c reads three answers: (100 + 60) × 3 + 60 = 540; repairs at the dearest voter (c).
    expect(planWorstCaseMicros({ ...base, mode: 'vote' })).toBe(120 + 240 + 360 + 540)
    expect(planWorstCaseMicros({ ...base, mode: 'vote', maxRepairs: 1 })).toBe(120 + 240 + 360 + 540 + (100 + 20) * 3 + 60)
  })

  test('rounds each step up, and an unpriced model costs nothing', () => {
    const tiny = { id: 't', pricing: { ...price(0, 0), inputPerMillion: 1, outputPerMillion: 1 } }
    expect(planWorstCaseMicros({ ...base, lineup: { primary: tiny } })).toBe(1)
    expect(planWorstCaseMicros({ ...base, lineup: { primary: { id: 'free', pricing: undefined } } })).toBe(0)
  })
})
