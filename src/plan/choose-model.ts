import type { Catalog } from '../catalog/catalog.ts'
import type { CatalogModel } from '../catalog/catalog-types.ts'
import { GatewayError } from '../errors/gateway-error.ts'

export type PlanStepRole = 'primary' | 'review' | 'judge' | 'voter'

/** What a plan step asks of routing: its role, the policy it runs under, and its constraints. */
export type ModelChoice = {
  role: PlanStepRole
  /** `planning`, `adversarial`, `normal`, `high_confidence` (TokenHub's per-mode policies). */
  policy: string
  /** TokenHub's 0–10 capability weight. */
  minWeight?: number
  /** A model the client named (`primary_model_id`, `review_model_id`); wins over the policy. */
  named?: string
  /** Models this step must not use (a critic other than the author, distinct voters). */
  exclude?: readonly string[]
  /** The calling key's allowed models (globs); empty or absent = any. */
  allowedModels?: readonly string[]
  /** The step's size, for routing's context-window and budget checks. */
  inputTokens?: number
  outputTokens?: number
}

/**
 * The seam to the routing engine: given a step's role, policy and constraints, the model to call.
 * It may return an excluded model only when nothing else is left (callers that need distinct
 * models check). The routing engine's chooser (create-routed-model-chooser.ts) is the gateway's default; the
 * interim one below serves apps built without a router.
 */
export type ChooseModel = (step: ModelChoice) => CatalogModel

// The built-in in-process provider (config/detect-providers.ts); its echo model is the last resort.
const localProviderId = 'switchyard'

const namedParam: Record<PlanStepRole, string> = {
  primary: 'orchestration.primary_model_id',
  review: 'orchestration.review_model_id',
  judge: 'orchestration.review_model_id',
  voter: 'orchestration.primary_model_id',
}

/**
 * Without a routing engine (an app built without one): the named model; else the cheapest priced chat model
 * not excluded (by input + output price per million, then id, so choices are deterministic);
 * else the built-in echo model. The catalogue has no capability weights yet, so `minWeight` and
 * `policy` cannot be honoured here and are ignored; the routing engine's registry has both.
 */
export function createInterimModelChooser(catalog: Catalog): ChooseModel {
  const priced = catalog.models
    .filter((model) => model.kind === 'chat' && !model.unlisted && model.pricing != null && model.providerId !== localProviderId)
    .sort((left, right) => priceOf(left) - priceOf(right) || left.id.localeCompare(right.id))
  const echo = catalog.resolve(`${localProviderId}/echo`)
  return function chooseModel(step) {
    if (step.named != null) return resolveNamedModel(catalog, step.role, step.named)
    const excluded = new Set(step.exclude ?? [])
    const choice = priced.find((model) => !excluded.has(model.id)) ?? echo
    if (choice == null) throw new GatewayError('service_unavailable', 'No chat model is configured on this gateway.')
    return choice
  }
}

/** The model a client named for a step: a 404 naming the field when it is unknown or not a chat model. */
export function resolveNamedModel(catalog: Catalog, role: PlanStepRole, named: string): CatalogModel {
  const model = catalog.resolve(named)
  if (model == null || model.kind !== 'chat') {
    const suggestions = catalog.suggest(named)
    throw new GatewayError(
      'model_not_found',
      `The model \`${named}\` does not exist or is not a chat model.${suggestions.length > 0 ? ` Closest known models: ${suggestions.join(', ')}.` : ''}`,
      { param: namedParam[role] },
    )
  }
  return model
}

function priceOf(model: CatalogModel): number {
  return (model.pricing?.inputPerMillion ?? 0) + (model.pricing?.outputPerMillion ?? 0)
}
