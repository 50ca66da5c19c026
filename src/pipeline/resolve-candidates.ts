import type { Catalog } from '../catalog/catalog.ts'
import type { CatalogModel, ModelKind } from '../catalog/catalog-types.ts'
import { GatewayError } from '../errors/gateway-error.ts'

/**
 * The models to try, in order: `model`, then OpenRouter-style `models: [...]` fallbacks. Every
 * name must resolve; an unknown one is a 404 naming the closest known models.
 */
export function resolveCandidates(
  request: { model: string; models?: readonly string[] | undefined },
  catalog: Catalog,
  kind: ModelKind,
): CatalogModel[] {
  // The common request names one model: resolved directly, no lists or set.
  if (request.models == null || request.models.length === 0) return [checked(request.model, 'model', catalog, kind)]
  const names: Array<{ name: string; param: string }> = []
  if (request.model !== '') names.push({ name: request.model, param: 'model' })
  request.models?.forEach((name, index) => {
    names.push({ name, param: `models[${index}]` })
  })
  const seen = new Set<string>()
  const candidates: CatalogModel[] = []
  for (const { name, param } of names) {
    const model = checked(name, param, catalog, kind)
    if (!seen.has(model.id)) {
      seen.add(model.id)
      candidates.push(model)
    }
  }
  if (candidates.length === 0)
    throw new GatewayError('invalid_request', 'Name a model in `model` (or a list in `models`).', { param: 'model' })
  return candidates
}

/** The catalogue model a name resolves to, if it serves this kind of endpoint; otherwise the 404 or 400. */
function checked(name: string, param: string, catalog: Catalog, kind: ModelKind): CatalogModel {
  if (name === '') throw new GatewayError('invalid_request', 'Name a model in `model` (or a list in `models`).', { param: 'model' })
  const model = catalog.resolve(name)
  if (model == null) {
    const suggestions = catalog.suggest(name)
    throw new GatewayError(
      'model_not_found',
      `The model \`${name}\` does not exist or is not available on this gateway.${suggestions.length > 0 ? ` Closest known models: ${suggestions.join(', ')}.` : ''} GET /v1/models lists them all.`,
      { param },
    )
  }
  if (model.kind !== kind && !model.unlisted) {
    throw new GatewayError('invalid_request', `The model \`${name}\` is an ${model.kind} model and cannot serve this endpoint.`, {
      param,
    })
  }
  return model
}
