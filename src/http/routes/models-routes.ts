import { Hono } from 'hono'
import type { ApiKeyAuthenticator } from '../../accounts/api-key-authenticator.ts'
import type { Catalog } from '../../catalog/catalog.ts'
import type { CatalogModel } from '../../catalog/catalog-types.ts'
import { microsToUsd } from '../../catalog/compute-cost.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { AppEnv } from '../app-env.ts'
import { apiKeyAuth } from '../middleware/api-key-auth.ts'

/** The catalogue in OpenAI's list shape, plus pricing (USD per million tokens), context and capabilities. */
export function modelsRoutes(deps: { catalog: Catalog; createdAt: number; authenticator: ApiKeyAuthenticator }): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.use('/models', apiKeyAuth({ authenticator: deps.authenticator }))
  app.use('/models/*', apiKeyAuth({ authenticator: deps.authenticator }))
  const describe = (model: CatalogModel) => describeModel(model, deps.createdAt)
  // Rendered once per catalogue version (the admin API swaps in a new models array on change).
  let renderedFor: readonly CatalogModel[] | undefined
  let listBody = ''
  app.get('/models', (c) => {
    if (renderedFor !== deps.catalog.models) {
      renderedFor = deps.catalog.models
      listBody = JSON.stringify({ object: 'list', data: renderedFor.map(describe) })
    }
    return c.body(listBody, 200, { 'content-type': 'application/json' })
  })

  app.get('/models/:id{.+}', (c) => {
    const id = c.req.param('id')
    const model = deps.catalog.resolve(id)
    if (model == null) {
      const suggestions = deps.catalog.suggest(id)
      throw new GatewayError(
        'model_not_found',
        `The model \`${id}\` does not exist.${suggestions.length > 0 ? ` Closest known models: ${suggestions.join(', ')}.` : ''}`,
        { param: 'model' },
      )
    }
    return c.json(describe(model))
  })
  return app
}

export function describeModel(model: CatalogModel, createdAt: number) {
  const perMillion = (micros: number | undefined) => (micros == null ? null : microsToUsd(micros))
  return {
    id: model.id,
    object: 'model',
    created: Math.floor(createdAt / 1000),
    owned_by: model.providerId,
    kind: model.kind,
    pricing:
      model.pricing == null
        ? null
        : {
            currency: 'USD',
            unit: 'per_million_tokens',
            input: perMillion(model.pricing.inputPerMillion),
            cached_input: perMillion(model.pricing.cachedInputPerMillion),
            cache_write: perMillion(model.pricing.cacheWritePerMillion),
            output: perMillion(model.pricing.outputPerMillion),
          },
    context_length: model.contextWindow ?? null,
    max_output_tokens: model.maxOutputTokens ?? null,
    capabilities: model.capabilities,
    aliases: model.aliases,
  }
}
