import { parseJudgement } from './parse-judgement.ts'
import type { ModeInput, ModeResult, SucceededStep } from './plan-mode-types.ts'
import { judgeSystemPrompt, judgeUserMessage } from './prompts/plan-prompts.ts'

/**
 * Several different models answer in parallel; a judge (a model that did not answer) picks the
 * best with a reason. Failed voters are left out of the judging. One surviving answer needs no
 * judge. A tie goes to the lowest-numbered tied answer; a verdict that cannot be read, or a
 * failed judge, keeps the first answer and says so in `selection`. The winner is the plan's model.
 */
export async function runVoteMode(input: ModeInput): Promise<ModeResult> {
  const voters = input.lineup.voters ?? [input.lineup.primary]
  const votes = await Promise.all(
    voters.map((model) => input.runStep({ role: 'voter', model, messages: input.messages, format: input.format })),
  )
  const answers = votes.filter((vote): vote is SucceededStep => vote.ok)
  const first = answers[0]
  if (first == null) {
    const failed = votes[0]
    if (failed != null && !failed.ok) throw failed.error
    throw new Error('vote mode ran no voter')
  }
  const responses = (winner: SucceededStep) =>
    votes.map((vote) => ({
      model: vote.model,
      step: vote.index,
      ...(vote.ok ? { content: vote.content } : { error: { code: vote.error.code, message: vote.error.message } }),
      selected: vote === winner,
    }))
  if (answers.length === 1) {
    return {
      response: {
        responses: responses(first),
        selected: votes.indexOf(first),
        selection: 'single-response',
        reason: 'Only one model answered.',
      },
      final: first,
      routingReason: 'vote-single-response',
    }
  }
  const judge = input.lineup.judge ?? input.lineup.primary
  const verdict = await input.runStep({
    role: 'judge',
    model: judge,
    messages: [
      { role: 'system', content: judgeSystemPrompt },
      {
        role: 'user',
        content: judgeUserMessage(
          input.userText,
          answers.map((answer) => answer.content),
        ),
      },
    ],
  })
  let winner = first
  let selection: string
  let reason: string
  if (!verdict.ok) {
    selection = 'judge-failed'
    reason = `The judge failed (${verdict.error.code}); the first answer was kept.`
  } else {
    const judgement = parseJudgement(verdict.content, answers.length)
    if (judgement.kind === 'winner') {
      winner = answers[judgement.index] ?? first
      selection = 'judged'
      reason = judgement.reason
    } else if (judgement.kind === 'tie') {
      winner = answers[judgement.indexes[0] ?? 0] ?? first
      selection = 'tie'
      reason =
        `${judgement.reason} (a tie between answers ${judgement.indexes.map((index) => index + 1).join(', ')}; the first of them was kept)`.trim()
    } else {
      selection = 'judgement-unreadable'
      reason = `The judge's verdict could not be read (${judgement.reason}); the first answer was kept.`
    }
  }
  return {
    response: {
      responses: responses(winner),
      selected: votes.indexOf(winner),
      judge: judge.id,
      selection,
      reason,
      ...(verdict.ok ? { judgement: verdict.content } : {}),
    },
    final: winner,
    routingReason: 'vote-orchestration',
  }
}
