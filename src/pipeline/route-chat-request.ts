import { assertModelsAllowed, isModelAllowed } from '../accounts/allowed-models.ts'
import type { Catalog } from '../catalog/catalog.ts'
import type { CatalogModel } from '../catalog/catalog-types.ts'
import { GatewayError } from '../errors/gateway-error.ts'
import type { ChatRequest } from '../protocol/openai-chat-types.ts'
import { defaultTierRules, type TierRules } from '../routing/auto-router-tiers.ts'
import { classifyPrompt } from '../routing/classifier/classify-prompt.ts'
import type { RouterModel } from '../routing/classifier/load-router-model.ts'
import { applyDirectives } from '../routing/directives.ts'
import { estimateCostMicros, estimateRequest, sizeBucket } from '../routing/estimate-request.ts'
import { expandDeployments } from '../routing/expand-deployments.ts'
import { matchesAnyGlob } from '../routing/glob-match.ts'
import type { HealthView } from '../routing/health-view.ts'
import type { ModelRegistry } from '../routing/model-registry.ts'
import { rankCandidates } from '../routing/rank-candidates.ts'
import type { RoutingExplanation } from '../routing/routing-explanation.ts'
import {
  allTokensMetadataKeys,
  mergeRoutingOptions,
  parseAllTokensMetadata,
  parsePolicyHeader,
  parseRoutingField,
  type RoutingOptions,
} from '../routing/routing-options.ts'
import { armKey, type BanditMemory, type Random, requestReward } from '../routing/thompson-bandit.ts'
import { resolveCandidates } from './resolve-candidates.ts'

export type RoutedChat = {
  /** The request as providers may see it: directives stripped, routing fields removed. */
  request: ChatRequest
  /** In order: the choice, then its fallbacks (seam 6: call-with-fallback walks this array). */
  candidates: CatalogModel[]
  explanation: RoutingExplanation
}

export type ChatRouter = {
  route(request: ChatRequest, hints: RouteHints): RoutedChat
  /** Feeds the bandit once a routed request has finished (success or not). */
  recordOutcome(explanation: RoutingExplanation, outcome: { model: string; success: boolean; latencyMs: number; costMicros: number }): void
  /** `POST /v1/feedback`: a client's score in 0..1 for the model that answered. */
  recordFeedback(explanation: Pick<RoutingExplanation, 'bucket'>, model: string, score: number): void
}

export type RouteHints = {
  policyHeader?: string | undefined
  estimatedInputTokens?: number | undefined
  /** The calling key's allowed models (globs; empty = any): routing only ever picks among these. */
  keyAllowedModels?: readonly string[] | undefined
}

export type ChatRouterDeps = {
  catalog: Catalog
  /** Read on every request, so an admin change applies without a restart. */
  registry: () => ModelRegistry
  classifier: RouterModel
  tiers?: TierRules
  defaults?: RoutingOptions
  /** The policy for `model: "router"` when the request names none. */
  autoPolicyDefault?: RoutingOptions['policy']
  health?: HealthView
  bandit: BanditMemory
  random: Random
  now: () => number
  maxCandidates?: number
  /**
   * Other deployments of a model, by model id (names resolved through the catalogue). Read when
   * the catalogue changes, which is also when this can change.
   */
  deployments?: () => Readonly<Record<string, readonly string[]>>
}

const autoModelNames = new Set(['router', 'auto'])

/** `router` or `auto`, in any case (the length check spares the usual name a lower-cased copy). */
function isAutoModelName(name: string): boolean {
  return (name.length === 4 || name.length === 6) && autoModelNames.has(name.toLowerCase())
}
const defaultLatencyBudgetMs = 20_000

/**
 * Routing for one chat request: directives and routing fields are read and removed, then either
 * the named models are resolved (explicit) or the auto-router classifies the prompt and the policy
 * ranks the models its tier allows. Everything here is in memory: no I/O on the hot path.
 */
export function createChatRouter(deps: ChatRouterDeps): ChatRouter {
  const tiers = deps.tiers ?? defaultTierRules
  const maxCandidates = deps.maxCandidates ?? 3
  // Deployment names are resolved once per catalogue version (the admin API swaps catalogues).
  let alternatesFor: readonly CatalogModel[] | undefined
  let alternates = new Map<string, CatalogModel[]>()
  const alternatesOf = (modelId: string): readonly CatalogModel[] => {
    if (deps.deployments == null) return []
    if (alternatesFor !== deps.catalog.models) {
      alternatesFor = deps.catalog.models
      alternates = new Map(
        Object.entries(deps.deployments()).map(([id, names]) => [
          deps.catalog.resolve(id)?.id ?? id,
          names.map((name) => deps.catalog.resolve(name)).filter((model): model is CatalogModel => model != null),
        ]),
      )
    }
    return alternates.get(modelId) ?? []
  }
  /** Each model followed by its other deployments, unless the request allows no fallback. */
  const withDeployments = (models: CatalogModel[], options: RoutingOptions): CatalogModel[] =>
    options.provider?.allowFallbacks === false ? models : expandDeployments(models, alternatesOf, options, deps.health, deps.now)
  return {
    route(original, hints) {
      const directive = applyDirectives(original.messages)
      const { request, bodyOptions } = withoutRoutingFields(original, directive.messages)
      const options = mergeRoutingOptions(deps.defaults ?? {}, bodyOptions, parsePolicyHeader(hints.policyHeader), directive.options)
      const modelName = directive.options.model ?? request.model
      const estimate = estimateRequest(request, hints.estimatedInputTokens)
      const bucket = sizeBucket(estimate.inputTokens)
      const estimated = { inputTokens: estimate.inputTokens, outputTokens: estimate.outputTokens }
      if (!isAutoModelName(modelName)) {
        const requested = directive.options.model == null ? request : { ...request, model: modelName, models: undefined }
        const named = keepKeyAllowed(filterExplicit(resolveCandidates(requested, deps.catalog, 'chat'), options), hints.keyAllowedModels)
        const candidates = keepKeyAllowed(withDeployments(named, options), hints.keyAllowedModels)
        const registry = deps.registry()
        const reason = directive.options.model != null ? 'directive-model' : candidates.length > 1 ? 'first-of-list' : 'requested'
        return {
          request: requested,
          candidates,
          explanation: {
            bucket,
            estimate: estimated,
            constraints: options,
            directive: directive.found,
            mode: directive.options.model != null ? 'directive' : 'explicit',
            policy: 'requested',
            reason,
            // Described only when read: most explicit requests store no explanation (trivial-explanation.ts).
            get candidates() {
              return candidates.map((model) => ({
                model: model.id,
                provider: model.providerId,
                weight: registry.get(model.id)?.weight ?? 5,
                estimatedCostUsd: Math.round(estimateCostMicros(model.pricing, estimate)) / 1_000_000,
              }))
            },
            rejected: [],
            order: candidates.map((model) => model.id),
            chosen: candidates[0]?.id ?? '',
          },
        }
      }
      const classification = classifyPrompt(estimate.lastUserText, deps.classifier)
      const policyOptions =
        options.policy == null && options.objective == null ? { ...options, policy: deps.autoPolicyDefault ?? 'cheap' } : options
      const ranking = rankCandidates({
        pool: keyAllowedPool(routablePool(deps.registry()), hints.keyAllowedModels),
        options: policyOptions,
        estimate,
        bucket,
        tier: { name: classification.tier, rule: tiers[classification.tier] },
        health: deps.health,
        bandit: { memory: deps.bandit, random: deps.random },
        now: deps.now(),
        maxCandidates,
      })
      const candidates = withDeployments(
        ranking.ordered.map((entry) => entry.model),
        options,
      )
      const reason = `auto-${classification.tier.toLowerCase()}-${ranking.policy}${ranking.tierRelaxed ? '-relaxed' : ''}`
      return {
        request: { ...request, model: modelName },
        candidates,
        explanation: {
          bucket,
          estimate: estimated,
          constraints: options,
          directive: directive.found,
          mode: 'auto',
          policy: ranking.policy,
          reason,
          tier: classification.tier,
          classifierScore: Math.round(classification.score * 10_000) / 10_000,
          candidates: ranking.candidates,
          rejected: ranking.rejected,
          order: candidates.map((model) => model.id),
          chosen: candidates[0]?.id ?? '',
        },
      }
    },
    recordOutcome(explanation, outcome) {
      if (explanation.mode !== 'auto') return
      const reward = requestReward({
        success: outcome.success,
        latencyMs: outcome.latencyMs,
        costMicros: outcome.costMicros,
        latencyBudgetMs: explanation.constraints.maxLatencyMs ?? defaultLatencyBudgetMs,
      })
      deps.bandit.record(armKey(outcome.model, explanation.bucket), reward, deps.now())
    },
    recordFeedback(explanation, model, score) {
      deps.bandit.record(armKey(model, explanation.bucket), score, deps.now())
    },
  }
}

/**
 * The echo model answers every prompt for free, so it would win every `cheap` ranking: it is
 * only routed to when it is the only chat model there is (a gateway with no provider keys).
 */
function routablePool(registry: ModelRegistry) {
  const real = registry.models.filter((entry) => entry.model.providerId !== 'switchyard' && !entry.model.unlisted)
  return real.length > 0 ? real : registry.models
}

/**
 * A key limited to some models narrows a `models` list to those (and their deployments) instead of
 * refusing the whole list; a 403 only when none of the named models is allowed.
 */
function keepKeyAllowed(candidates: CatalogModel[], allowedModels: readonly string[] | undefined): CatalogModel[] {
  if (allowedModels == null || allowedModels.length === 0) return candidates
  const kept = candidates.filter((model) => isModelAllowed(allowedModels, model))
  if (kept.length === 0) assertModelsAllowed({ allowedModels }, candidates)
  return kept
}

/** The auto-router ranks only what the key may use; a 403 when that is nothing at all. */
function keyAllowedPool(pool: ModelRegistry['models'], allowedModels: readonly string[] | undefined): ModelRegistry['models'] {
  if (allowedModels == null || allowedModels.length === 0) return pool
  const kept = pool.filter((entry) => isModelAllowed(allowedModels, entry.model))
  if (kept.length === 0)
    assertModelsAllowed(
      { allowedModels },
      pool.map((entry) => entry.model),
    )
  return kept
}

/** An explicitly named model is still subject to allow/block lists and provider only/ignore. */
function filterExplicit(candidates: CatalogModel[], options: RoutingOptions): CatalogModel[] {
  if (options.allowedModels == null && options.blockedModels == null && options.provider == null && candidates.length > 0) return candidates
  const kept = candidates.filter((model) => {
    const names = [model.id, ...model.aliases]
    if (options.allowedModels != null && !matchesAnyGlob(options.allowedModels, names)) return false
    if (options.blockedModels != null && matchesAnyGlob(options.blockedModels, names)) return false
    if (options.provider?.only != null && !options.provider.only.includes(model.providerId)) return false
    if (options.provider?.ignore?.includes(model.providerId) === true) return false
    return true
  })
  if (kept.length === 0) {
    throw new GatewayError(
      'invalid_request',
      `The requested model${candidates.length > 1 ? 's are' : ' is'} excluded by the routing constraints (allowed_models, blocked_models or provider).`,
      { param: 'model' },
    )
  }
  return options.provider?.allowFallbacks === false ? kept.slice(0, 1) : kept
}

/** Removes `routing` and AllTokens' keys in `metadata` (the rest of metadata goes upstream). */
function withoutRoutingFields(
  request: ChatRequest,
  messages: ChatRequest['messages'],
): { request: ChatRequest; bodyOptions: RoutingOptions } {
  // The common request has neither field and no directive: it goes on as it is, uncopied.
  if (request.routing === undefined && request.metadata === undefined && messages === request.messages) return { request, bodyOptions: {} }
  const { routing, metadata, ...rest } = request
  const bodyOptions = mergeRoutingOptions(parseAllTokensMetadata(metadata), parseRoutingField(routing))
  const cleaned: ChatRequest = { ...rest, messages }
  if (metadata != null && typeof metadata === 'object' && !Array.isArray(metadata)) {
    const kept = Object.fromEntries(Object.entries(metadata).filter(([key]) => !(allTokensMetadataKeys as readonly string[]).includes(key)))
    if (Object.keys(kept).length > 0) cleaned.metadata = kept
  } else if (metadata !== undefined) cleaned.metadata = metadata
  return { request: cleaned, bodyOptions }
}
