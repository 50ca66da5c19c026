import { extractJson } from '../output/extract-json.ts'

export type Judgement =
  | { kind: 'winner'; index: number; reason: string }
  | { kind: 'tie'; indexes: number[]; reason: string }
  | { kind: 'unreadable'; reason: string }

/**
 * Reads a judge's verdict over `count` answers (numbered from 1 in the prompt; indexes here from 0).
 * The judge is asked for `{"winner": n, "reason": "..."}`; a list of winners or `"tie": true` is a
 * tie; prose naming exactly one "Answer n" is accepted too. TokenHub scanned for the first digit
 * from N down to 1 anywhere in the text, so "Answer 2 is better than answer 3" could elect 3;
 * anything ambiguous here is `unreadable`, never a guess.
 */
export function parseJudgement(text: string, count: number): Judgement {
  const inRange = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= count
  const extracted = extractJson(text)
  if (extracted.found && typeof extracted.value === 'object' && extracted.value !== null && !Array.isArray(extracted.value)) {
    const verdict = extracted.value as { winner?: unknown; reason?: unknown; tie?: unknown }
    const reason = typeof verdict.reason === 'string' ? verdict.reason : ''
    const winners = Array.isArray(verdict.winner) ? verdict.winner : [verdict.winner]
    const valid = [...new Set(winners.filter(inRange))].sort((left, right) => left - right)
    if (valid.length === 1 && winners.length === 1 && verdict.tie !== true) return { kind: 'winner', index: (valid[0] ?? 1) - 1, reason }
    if (valid.length >= 1) return { kind: 'tie', indexes: valid.map((value) => value - 1), reason }
    return { kind: 'unreadable', reason: 'the verdict names no answer between 1 and the number of answers' }
  }
  const named = new Set([...text.matchAll(/\banswer\s*#?\s*(\d+)/gi)].map((match) => Number(match[1])).filter(inRange))
  if (named.size === 1) return { kind: 'winner', index: ([...named][0] ?? 1) - 1, reason: text.trim().slice(0, 500) }
  return { kind: 'unreadable', reason: named.size === 0 ? 'the verdict names no answer' : 'the verdict names several answers' }
}
