import type { Catalog } from '../catalog/catalog.ts'
import { GatewayError, isGatewayError } from '../errors/gateway-error.ts'
import type { HealthView } from '../routing/health-view.ts'
import type { ModelRegistry } from '../routing/model-registry.ts'
import { rankCandidates } from '../routing/rank-candidates.ts'
import type { PolicyName } from '../routing/routing-options.ts'
import type { ChooseModel, ModelChoice } from './choose-model.ts'
import { resolveNamedModel } from './choose-model.ts'

const routingPolicies: readonly string[] = ['cheap', 'normal', 'high_confidence', 'planning']
const noBandit = { memory: { get: () => undefined }, random: Math.random }

const minWeightParam: Record<ModelChoice['role'], string> = {
  primary: 'orchestration.primary_min_weight',
  voter: 'orchestration.primary_min_weight',
  review: 'orchestration.review_min_weight',
  judge: 'orchestration.review_min_weight',
}

/**
 * Each plan step's model, chosen by the routing engine: the registry's models (weights from
 * `routing.weights` or guessed from price, disabled models out, unavailable deployments last)
 * ranked by the step's policy (`planning` for authors, `high_confidence` for critics and judges,
 * `normal` for voters) under `min_weight` and the step's exclusions (a critic other than the
 * author, distinct voters), among the key's allowed models. A named model wins over the policy. When the exclusions leave nothing,
 * the best excluded model is returned (the ChooseModel contract: callers that need distinct
 * models check); when `min_weight` leaves nothing, a 400 names the field.
 */
export function createRoutedModelChooser(deps: {
  catalog: Catalog
  registry: () => ModelRegistry
  health?: HealthView | undefined
  now: () => number
}): ChooseModel {
  return function chooseModel(step) {
    if (step.named != null) return resolveNamedModel(deps.catalog, step.role, step.named)
    const registry = deps.registry()
    // As for `model: "router"`: the free echo model only when it is the only chat model there is.
    const real = registry.models.filter((entry) => entry.model.providerId !== 'switchyard' && !entry.model.unlisted)
    const pool = real.length > 0 ? real : registry.models
    const policy = (routingPolicies.includes(step.policy) ? step.policy : 'normal') as PolicyName
    const rank = (exclude: readonly string[]) =>
      rankCandidates({
        pool,
        options: {
          policy,
          ...(step.minWeight == null ? {} : { minWeight: step.minWeight }),
          ...(exclude.length === 0 ? {} : { blockedModels: exclude }),
          ...(step.allowedModels == null || step.allowedModels.length === 0 ? {} : { allowedModels: step.allowedModels }),
        },
        estimate: {
          inputTokens: step.inputTokens ?? 0,
          outputTokens: step.outputTokens ?? 512,
          needsTools: false,
          needsVision: false,
          needsJsonSchema: false,
          lastUserText: '',
        },
        bucket: 'small',
        health: deps.health,
        bandit: noBandit,
        now: deps.now(),
        maxCandidates: 1,
      }).ordered[0]?.model
    const exclude = step.exclude ?? []
    try {
      const chosen = rank(exclude)
      if (chosen != null) return chosen
    } catch (error) {
      if (!isGatewayError(error) || exclude.length === 0) throw withParam(error, step)
    }
    try {
      const fallback = rank([])
      if (fallback != null) return fallback
    } catch (error) {
      throw withParam(error, step)
    }
    throw new GatewayError('service_unavailable', 'No chat model is configured on this gateway.')
  }
}

/** Nothing eligible: when a min weight was asked for, the 400 names that field. */
function withParam(error: unknown, step: ModelChoice): unknown {
  if (!isGatewayError(error) || error.param !== 'routing' || step.minWeight == null) return error
  return new GatewayError('invalid_request', `${error.message} (${minWeightParam[step.role]} is ${step.minWeight})`, {
    param: minWeightParam[step.role],
  })
}
