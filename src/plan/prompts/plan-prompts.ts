// Our own wording for each role of /v1/plan. Every template carries the original request in full,
// so a step never depends on a model remembering context it was not given.

export const plannerSystemPrompt = [
  'You are a careful planner. Produce a complete, concrete plan or answer for the request.',
  'Structure it in numbered steps where that helps, state assumptions explicitly, and note the main risks.',
].join(' ')

export const criticSystemPrompt = [
  'You are a demanding reviewer. Find the weaknesses in the proposal you are shown:',
  'errors, gaps, unstated assumptions, risks and anything that does not answer the request.',
  'Be specific and actionable; list the problems in order of importance. Do not rewrite the proposal.',
].join(' ')

export const refinerSystemPrompt = [
  'You revise a proposal using a review of it. Address every valid point of the review,',
  'keep what was already right, and return the complete improved proposal (not a list of changes).',
].join(' ')

export const judgeSystemPrompt = [
  'You are an impartial judge comparing candidate answers to the same request.',
  'Judge correctness first, then completeness, then clarity. Ignore length for its own sake.',
  'Reply with a JSON object only: {"winner": <number of the best answer>, "reason": "<one or two sentences>"}.',
  'If two answers are equally good, pick the lower number.',
].join(' ')

export const improverSystemPrompt = [
  'You improve an answer. Check it against the request, fix every mistake, fill every gap,',
  'and tighten the wording. Return the complete improved answer only.',
].join(' ')

export function critiqueUserMessage(request: string, proposal: string): string {
  return `# Original request\n${request}\n\n# Proposal to review\n${proposal}\n\nList the problems with this proposal.`
}

export function refineUserMessage(request: string, proposal: string, critique: string): string {
  return `# Original request\n${request}\n\n# Current proposal\n${proposal}\n\n# Review\n${critique}\n\nWrite the improved proposal.`
}

export function judgeUserMessage(request: string, answers: readonly string[]): string {
  const listed = answers.map((answer, index) => `## Answer ${index + 1}\n${answer}`).join('\n\n')
  return `# Request\n${request}\n\n# Candidate answers\n${listed}\n\nWhich answer is best? Reply with the JSON object only.`
}

export function improveUserMessage(request: string, answer: string): string {
  return `# Request\n${request}\n\n# Current answer\n${answer}\n\nWrite the improved answer.`
}
