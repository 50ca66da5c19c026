import { describe, expect, test } from 'bun:test'
import { classifyPrompt } from './classify-prompt.ts'
import { loadRouterModel } from './load-router-model.ts'
import routerModelJson from './router-model.json'

const model = loadRouterModel(routerModelJson)
const tierOrder = ['SIMPLE', 'MEDIUM', 'COMPLEX', 'REASONING'] as const

const hardProof = [
  'Prove by induction that for every integer n >= 1 the sum of the first n odd numbers is n^2.',
  'Then derive a closed form for sum_{k=1}^{n} k^3, prove it formally step by step, and show that',
  'the sequence a_{n+1} = (a_n + 2/a_n)/2 with a_1 = 1 converges to sqrt(2). Justify every',
  'inequality you use and state the theorem that guarantees convergence of monotone bounded sequences.',
].join('\n')

describe('classifyPrompt with the shipped model', () => {
  test('a greeting is SIMPLE', () => {
    // Deliberately not the exact strings in scripts/router-anchor-prompts.ts.
    for (const greeting of ['hello there', 'Hiya!', 'good afternoon :)', 'hey, thanks a lot']) {
      expect(classifyPrompt(greeting, model).tier).toBe('SIMPLE')
    }
  })

  test('a multi-step proof is COMPLEX or REASONING and outscores a greeting', () => {
    const proof = classifyPrompt(hardProof, model)
    expect(['COMPLEX', 'REASONING']).toContain(proof.tier)
    expect(proof.score).toBeGreaterThan(classifyPrompt('hello', model).score)
  })

  test('scores are probabilities and tiers follow the thresholds', () => {
    for (const text of ['hello', hardProof, 'What is the capital of France?']) {
      const { score, tier } = classifyPrompt(text, model)
      expect(score).toBeGreaterThanOrEqual(0)
      expect(score).toBeLessThanOrEqual(1)
      const expectedIndex =
        score < model.tierThresholds.medium ? 0 : score < model.tierThresholds.complex ? 1 : score < model.tierThresholds.reasoning ? 2 : 3
      expect(tier).toBe(tierOrder[expectedIndex] as (typeof tierOrder)[number])
    }
  })

  test('is deterministic, including after other prompts reuse the buffers', () => {
    const first = classifyPrompt(hardProof, model)
    classifyPrompt('something else entirely 12345 {}', model)
    classifyPrompt('', model)
    expect(classifyPrompt(hardProof, model)).toEqual(first)
  })

  test('handles empty, huge and unicode input', () => {
    const empty = classifyPrompt('', model)
    expect(Number.isFinite(empty.score)).toBe(true)
    const huge = classifyPrompt('Explain the trade-offs of this design. '.repeat(50_000), model)
    expect(Number.isFinite(huge.score)).toBe(true)
    for (const text of [
      '证明：对于所有正整数 n，1+3+…+(2n−1)=n²。',
      'Привет! Как дела? 🙂',
      '\u{1F600}'.repeat(500),
      '\uD800 lone surrogate',
    ]) {
      const result = classifyPrompt(text, model)
      expect(result.score).toBeGreaterThanOrEqual(0)
      expect(result.score).toBeLessThanOrEqual(1)
    }
  })

  test('explain returns the hand-feature contributions', () => {
    const result = classifyPrompt(hardProof, model, { explain: true })
    expect(result.features).toBeDefined()
    expect(Object.keys(result.features ?? {})).toContain('keyword.reasoning')
    expect(classifyPrompt(hardProof, model).features).toBeUndefined()
  })
})
