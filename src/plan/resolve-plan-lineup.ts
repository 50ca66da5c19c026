import type { CatalogModel } from '../catalog/catalog-types.ts'
import type { ChooseModel } from './choose-model.ts'
import type { PlanRequest } from './parse-plan-request.ts'
import type { ResolvedLineup } from './plan-mode-types.ts'
import { promptTokenBound } from './plan-worst-case.ts'

/**
 * Every model the plan will call, chosen before the first step (so the worst case is known and a
 * named model that does not exist is a 404 before anything is spent). Policies per role follow
 * TokenHub: planning for the author, high_confidence for the critic, the judge and refine's single
 * model, normal for voters; `primary_min_weight` bounds authors and voters, `review_min_weight`
 * critics and judges.
 */
export function resolvePlanLineup(request: PlanRequest, choose: ChooseModel, allowedModels: readonly string[] = []): ResolvedLineup {
  // Every step reads at least the prompt and writes at most max_tokens_per_step: routing's
  // context-window check sees that size (about four characters per token). A key limited to some
  // models gets a lineup among them (the reservation checks it again).
  const common = {
    inputTokens: Math.ceil(promptTokenBound(request.messages) / 4),
    outputTokens: request.maxTokensPerStep,
    ...(allowedModels.length === 0 ? {} : { allowedModels }),
  }
  const chooseModel: ChooseModel = (step) => choose({ ...common, ...step })
  const primaryChoice = (policy: string) =>
    chooseModel({
      role: 'primary',
      policy,
      ...(request.primaryMinWeight == null ? {} : { minWeight: request.primaryMinWeight }),
      ...(request.primaryModelId == null ? {} : { named: request.primaryModelId }),
    })
  const reviewFields = {
    ...(request.reviewMinWeight == null ? {} : { minWeight: request.reviewMinWeight }),
    ...(request.reviewModelId == null ? {} : { named: request.reviewModelId }),
  }
  switch (request.mode) {
    case 'planning':
      return { primary: primaryChoice('planning') }
    case 'refine':
      return { primary: primaryChoice('high_confidence') }
    case 'adversarial': {
      const primary = primaryChoice('planning')
      // A different model criticises, when there is one: a model reviewing itself shares its own blind spots.
      const review = chooseModel({ role: 'review', policy: 'high_confidence', exclude: [primary.id], ...reviewFields })
      return { primary, review }
    }
    case 'vote': {
      // TokenHub reuses `iterations` as the voter count: 3 when below 2.
      const wanted = request.iterations < 2 ? 3 : request.iterations
      const judge = request.reviewModelId == null ? undefined : chooseModel({ role: 'judge', policy: 'high_confidence', ...reviewFields })
      const voters: CatalogModel[] = []
      if (request.primaryModelId != null) voters.push(primaryChoice('normal'))
      while (voters.length < wanted) {
        const exclude = [...voters.map((voter) => voter.id), ...(judge == null ? [] : [judge.id])]
        const voter = chooseModel({
          role: 'voter',
          policy: 'normal',
          exclude,
          ...(request.primaryMinWeight == null ? {} : { minWeight: request.primaryMinWeight }),
        })
        // The chooser hands back an excluded model only when no other is left: fewer voters then.
        if (exclude.includes(voter.id)) break
        voters.push(voter)
      }
      // Only when even the echo model is taken (it is the judge): one voter, no judging needed.
      if (voters.length === 0) voters.push(primaryChoice('normal'))
      const chosenJudge =
        judge ?? chooseModel({ role: 'judge', policy: 'high_confidence', exclude: voters.map((voter) => voter.id), ...reviewFields })
      return { primary: voters[0] ?? primaryChoice('normal'), voters, judge: chosenJudge }
    }
  }
}
