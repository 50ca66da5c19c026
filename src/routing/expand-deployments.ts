import type { CatalogModel } from '../catalog/catalog-types.ts'
import type { HealthView } from './health-view.ts'
import type { RoutingOptions } from './routing-options.ts'

/**
 * A model may be served by more than one deployment (`routing.deployments` in switchyard.yaml:
 * the same model through OpenAI and Azure, say). Each chosen model is followed by its other
 * deployments, so the call path fails over between providers of the same model before moving to
 * the next model. Deployments the HealthView reports unavailable go last rather than away (the
 * call path decides whether to probe them); `provider.only`/`ignore` apply to alternates too.
 */
export function expandDeployments(
  candidates: readonly CatalogModel[],
  alternatesOf: (modelId: string) => readonly CatalogModel[],
  options: RoutingOptions,
  health: HealthView | undefined,
  /** Read only when there is something to order. */
  clock: () => number,
): CatalogModel[] {
  // One model with no other deployment (the common explicit request): nothing to expand or reorder.
  const [first] = candidates
  if (candidates.length === 1 && first != null && alternatesOf(first.id).length === 0) return [first]
  const now = clock()
  const seen = new Set<string>()
  const available: CatalogModel[] = []
  const unavailable: CatalogModel[] = []
  const allowed = (deployment: CatalogModel) =>
    (options.provider?.only == null || options.provider.only.includes(deployment.providerId)) &&
    options.provider?.ignore?.includes(deployment.providerId) !== true
  for (const candidate of candidates) {
    for (const deployment of [candidate, ...alternatesOf(candidate.id)]) {
      if (seen.has(deployment.id) || (deployment !== candidate && !allowed(deployment))) continue
      seen.add(deployment.id)
      if (health != null && !health.isAvailable(deployment.id, now)) unavailable.push(deployment)
      else available.push(deployment)
    }
  }
  return [...available, ...unavailable]
}
