import { type KeywordDimension, keywordLists } from './keyword-lists.ts'
import type { RouterTier } from './load-router-model.ts'

/**
 * A keyword-only baseline of the ClawRouter kind (BlockRunAI/ClawRouter `src/router/rules.ts`,
 * Aug 2026 weights, English lists only). It exists to be compared against in
 * scripts/router-eval.ts, not to route traffic: it shows what hand rules alone achieve.
 */

type Dimension = {
  weight: number
  /** Maps the number of keyword matches to a dimension score in [-1, 1]. */
  scoreFor: (matches: number) => number
}

const stepped =
  (steps: ReadonlyArray<readonly [minimumMatches: number, score: number]>) =>
  (matches: number): number => {
    let score = 0
    for (const [minimumMatches, stepScore] of steps) if (matches >= minimumMatches) score = stepScore
    return score
  }

const keywordDimensionRules: Partial<Record<KeywordDimension, Dimension>> = {
  reasoning: {
    weight: 0.18,
    scoreFor: stepped([
      [1, 0.7],
      [2, 1],
    ]),
  },
  code: {
    weight: 0.15,
    scoreFor: stepped([
      [1, 0.5],
      [2, 1],
    ]),
  },
  technical: {
    weight: 0.1,
    scoreFor: stepped([
      [2, 0.5],
      [4, 1],
    ]),
  },
  creative: {
    weight: 0.05,
    scoreFor: stepped([
      [1, 0.5],
      [2, 0.7],
    ]),
  },
  constraint: {
    weight: 0.04,
    scoreFor: stepped([
      [1, 0.3],
      [3, 0.7],
    ]),
  },
  agentic: {
    weight: 0.04,
    scoreFor: stepped([
      [1, 0.2],
      [3, 0.6],
      [4, 1],
    ]),
  },
  imperative: {
    weight: 0.03,
    scoreFor: stepped([
      [1, 0.3],
      [2, 0.5],
    ]),
  },
  outputFormat: {
    weight: 0.03,
    scoreFor: stepped([
      [1, 0.4],
      [2, 0.7],
    ]),
  },
  simple: { weight: 0.02, scoreFor: stepped([[1, -1]]) },
  reference: {
    weight: 0.02,
    scoreFor: stepped([
      [1, 0.3],
      [2, 0.5],
    ]),
  },
  domain: {
    weight: 0.02,
    scoreFor: stepped([
      [1, 0.5],
      [2, 0.8],
    ]),
  },
  negation: {
    weight: 0.01,
    scoreFor: stepped([
      [2, 0.3],
      [3, 0.5],
    ]),
  },
}

const promptTruncationChars = 500

/** ClawRouter samples long prompts down to their first and last 250 characters. */
function samplePrompt(text: string): string {
  if (text.length <= promptTruncationChars) return text
  const half = promptTruncationChars / 2
  return `${text.slice(0, half)} ${text.slice(text.length - half)}`
}

function countMatches(text: string, keywords: readonly string[]): number {
  let matches = 0
  for (const keyword of keywords) if (text.includes(keyword)) matches++
  return matches
}

export function scoreKeywords(text: string): { tier: RouterTier; score: number } {
  const sampled = samplePrompt(text).toLowerCase()
  let score = 0
  let reasoningMatches = 0
  for (const [dimension, rule] of Object.entries(keywordDimensionRules)) {
    const matches = countMatches(sampled, keywordLists[dimension as KeywordDimension])
    if (dimension === 'reasoning') reasoningMatches = matches
    score += rule.weight * rule.scoreFor(matches)
  }
  const estimatedTokens = Math.ceil(text.length / 4)
  score += 0.08 * (estimatedTokens < 50 ? -1 : estimatedTokens > 500 ? 1 : 0)
  const multiStep = /first.*then/i.test(sampled) || /step \d/i.test(sampled) || /\d\.\s/.test(sampled)
  score += 0.12 * (multiStep ? 0.5 : 0)
  let questionMarks = 0
  for (const character of sampled) if (character === '?') questionMarks++
  score += 0.05 * (questionMarks > 3 ? 0.5 : 0)

  // ClawRouter's override: two reasoning keywords mean REASONING whatever the sum says.
  if (reasoningMatches >= 2) return { tier: 'REASONING', score: Math.max(score, 0.5) }
  const tier: RouterTier = score < 0 ? 'SIMPLE' : score < 0.3 ? 'MEDIUM' : score < 0.5 ? 'COMPLEX' : 'REASONING'
  return { tier, score }
}
