import { describe, expect, test } from 'bun:test'
import { scoreKeywords } from './keyword-scorer.ts'

describe('scoreKeywords (ClawRouter-style baseline)', () => {
  test('reproduces ClawRouter worked example: "hello" scores -0.10, SIMPLE', () => {
    const result = scoreKeywords('hello')
    expect(result.score).toBeCloseTo(-0.1, 10)
    expect(result.tier).toBe('SIMPLE')
  })

  test('two reasoning keywords force REASONING', () => {
    expect(scoreKeywords('Prove this theorem step by step.').tier).toBe('REASONING')
  })
})
