import type { GeminiThinkingConfig } from './gemini-request-types.ts'

/**
 * The thinking budgets Google's own OpenAI-compatible endpoint uses for `reasoning_effort`
 * (Gemini 2.5 budgets; Gemini 3 still accepts a budget). Unknown values are ignored rather than
 * guessed, leaving the model's default.
 */
const thinkingBudgetByEffort: Readonly<Record<string, number>> = {
  none: 0,
  minimal: 1024,
  low: 1024,
  medium: 8192,
  high: 24576,
}

export function mapReasoningEffort(effort: string | undefined): GeminiThinkingConfig | undefined {
  if (effort == null) return undefined
  const thinkingBudget = thinkingBudgetByEffort[effort]
  if (thinkingBudget == null) return undefined
  // Asking for reasoning also asks for thought summaries, which we return as `reasoning_content`.
  return thinkingBudget === 0 ? { thinkingBudget } : { thinkingBudget, includeThoughts: true }
}
