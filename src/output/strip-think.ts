// Reasoning models (DeepSeek R1, QwQ, many local models) put their chain of thought inside
// <think>…</think> in the answer itself. An unterminated block at the start (a cut stream, or a
// model that opened its answer with `<think>` and never closed it) is reasoning too.
const closedThinkBlocks = /<think>[\s\S]*?<\/think>\s*/gi
const unclosedLeadingThink = /^\s*<think>[\s\S]*$/i

/** Removes `<think>…</think>` reasoning blocks from a model's answer. */
export function stripThink(content: string): string {
  const withoutBlocks = content.replace(closedThinkBlocks, '')
  return unclosedLeadingThink.test(withoutBlocks) ? '' : withoutBlocks.trim()
}
