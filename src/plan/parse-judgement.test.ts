import { describe, expect, test } from 'bun:test'
import { parseJudgement } from './parse-judgement.ts'

describe('parseJudgement', () => {
  test('the JSON verdict, fenced or bare', () => {
    expect(parseJudgement('{"winner": 2, "reason": "complete"}', 3)).toEqual({ kind: 'winner', index: 1, reason: 'complete' })
    expect(parseJudgement('Verdict:\n```json\n{"winner": 3, "reason": "r"}\n```', 3)).toEqual({ kind: 'winner', index: 2, reason: 'r' })
  })

  test('ties: a list of winners or tie: true', () => {
    expect(parseJudgement('{"winner": [3, 1], "reason": "same"}', 3)).toEqual({ kind: 'tie', indexes: [0, 2], reason: 'same' })
    expect(parseJudgement('{"winner": 2, "tie": true, "reason": ""}', 3)).toEqual({ kind: 'tie', indexes: [1], reason: '' })
  })

  test('prose naming exactly one answer is read; anything ambiguous is unreadable, never a guess', () => {
    expect(parseJudgement('I prefer Answer 2 overall.', 3)).toMatchObject({ kind: 'winner', index: 1 })
    // TokenHub's digit scan would have elected 3 here.
    expect(parseJudgement('Answer 2 is better than answer 3.', 3).kind).toBe('unreadable')
    expect(parseJudgement('{"winner": 7}', 3).kind).toBe('unreadable')
    expect(parseJudgement('no idea', 3).kind).toBe('unreadable')
  })
})
