import { type Context, Hono } from 'hono'
import { z } from 'zod'
import type { AuditRecorder } from '../../accounts/audit-recorder.ts'
import type { CatalogModel } from '../../catalog/catalog-types.ts'
import { describeZodError } from '../../config/load-config.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import { type AdminModelSpec, adminModelSchema, adminProviderSchema, type LiveRegistry } from '../../registry/live-registry.ts'
import { defaultWeight } from '../../routing/model-registry.ts'
import type { AppEnv } from '../app-env.ts'
import { readJsonBody } from '../read-json-body.ts'

export const modelPatchSchema = adminModelSchema.partial().extend({ disabled: z.boolean().optional() })
export const providerCreateSchema = adminProviderSchema.extend({
  id: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, - and _'),
})
export const providerPatchSchema = adminProviderSchema.partial().extend({ disabled: z.boolean().optional() })

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body)
  if (!parsed.success) {
    const param = String(parsed.error.issues[0]?.path[0] ?? 'body')
    throw new GatewayError('invalid_request', `Invalid body: ${describeZodError(parsed.error)}`, { param })
  }
  return parsed.data
}

/**
 * `/api/v1/admin/models` and `/api/v1/admin/providers`: list, create, update (PATCH, which also
 * takes `disabled`), disable (DELETE). Persisted in the Store and applied without a restart.
 */
export function adminRegistryRoutes(deps: { registry: LiveRegistry; audit: AuditRecorder }): Hono<AppEnv> {
  const { registry } = deps
  const app = new Hono<AppEnv>()
  // Registry edits are configuration changes: each one appends an audit row (views never hold keys).
  const audit = (c: Context<AppEnv>, action: string, target: string, before: unknown, after: unknown) =>
    deps.audit.record({ actor: 'admin', action, target, before, after, requestId: c.get('requestId') })

  const viewModel = (model: CatalogModel) => ({
    id: model.id,
    provider: model.providerId,
    upstream_model: model.upstreamModel,
    kind: model.kind,
    weight: registry.modelRegistry().get(model.id)?.weight ?? specOf('model', model.id)?.weight ?? defaultWeight(model),
    context_window: model.contextWindow ?? null,
    max_output_tokens: model.maxOutputTokens ?? null,
    pricing:
      model.pricing == null
        ? null
        : {
            input: model.pricing.inputPerMillion / 1e6,
            cached_input: model.pricing.cachedInputPerMillion / 1e6,
            cache_write: model.pricing.cacheWritePerMillion / 1e6,
            output: model.pricing.outputPerMillion / 1e6,
          },
    capabilities: model.capabilities,
    aliases: model.aliases,
    deployments: registry.deployments()[model.id] ?? [],
    enabled: !registry.isModelDisabled(model.id) && !registry.isProviderDisabled(model.providerId),
    source: registry.sourceOfModel(model.id),
  })

  const specOf = (kind: 'model' | 'provider', id: string): (AdminModelSpec & Record<string, unknown>) | undefined => {
    const row = registry.rows().find((entry) => entry.kind === kind && entry.id === id)
    return row?.spec == null ? undefined : JSON.parse(row.spec)
  }
  const findModel = (id: string) => {
    const model = registry.allModels().find((entry) => entry.id === id)
    if (model == null) throw new GatewayError('not_found', `No model \`${id}\`.`, { param: 'id' })
    return model
  }

  /** Every named deployment must be a model the registry knows; a typo is a 400, not a silent no-op. */
  const checkDeployments = (names: readonly string[] | undefined) => {
    for (const name of names ?? []) {
      if (!registry.allModels().some((model) => model.id === name)) {
        throw new GatewayError('invalid_request', `Unknown deployment \`${name}\`: name another model's id.`, { param: 'deployments' })
      }
    }
  }

  app.get('/models', (c) => c.json({ object: 'list', data: registry.allModels().map(viewModel) }))

  app.post('/models', async (c) => {
    const spec = parse(adminModelSchema, await readJsonBody(c))
    const id = spec.id ?? `${spec.provider}/${spec.model}`
    checkDeployments(spec.deployments)
    if (registry.allModels().some((model) => model.id === id)) {
      throw new GatewayError('invalid_request', `The model \`${id}\` already exists; change it with PATCH /api/v1/admin/models/${id}.`, {
        param: 'model',
      })
    }
    await registry.put({ kind: 'model', id, spec: JSON.stringify({ ...spec, id }), disabled: false })
    const after = viewModel(findModel(id))
    await audit(c, 'model.create', `model:${id}`, undefined, after)
    return c.json(after, 201)
  })

  app.patch('/models/:id{.+}', async (c) => {
    const id = c.req.param('id')
    const existing = findModel(id)
    const { disabled, ...patch } = parse(modelPatchSchema, await readJsonBody(c))
    checkDeployments(patch.deployments)
    const base = specOf('model', id) ?? { provider: existing.providerId, model: existing.upstreamModel }
    const changesSpec = Object.keys(patch).length > 0 || specOf('model', id) != null
    if (patch.provider != null && patch.provider !== existing.providerId) {
      throw new GatewayError('invalid_request', 'A model cannot move to another provider; create a new one.', { param: 'provider' })
    }
    const spec = changesSpec ? JSON.stringify({ ...base, ...patch, id }) : null
    const before = viewModel(existing)
    await registry.put({ kind: 'model', id, spec, disabled: disabled ?? registry.isModelDisabled(id) })
    const after = viewModel(findModel(id))
    await audit(c, 'model.update', `model:${id}`, before, after)
    return c.json(after)
  })

  app.delete('/models/:id{.+}', async (c) => {
    const id = c.req.param('id')
    const before = viewModel(findModel(id))
    const spec = specOf('model', id)
    await registry.put({ kind: 'model', id, spec: spec == null ? null : JSON.stringify(spec), disabled: true })
    const after = viewModel(findModel(id))
    await audit(c, 'model.disable', `model:${id}`, before, after)
    return c.json(after)
  })

  const viewProvider = (id: string) => {
    const provider = registry.allProviders().find((entry) => entry.id === id)
    if (provider == null) throw new GatewayError('not_found', `No provider \`${id}\`.`, { param: 'id' })
    return {
      id: provider.id,
      family: provider.family,
      base_url: provider.baseUrl,
      // The key itself is never shown.
      has_api_key: provider.apiKey != null && provider.apiKey !== '',
      accepts_unlisted_models: provider.acceptsUnlistedModels,
      models: registry.allModels().filter((model) => model.providerId === id).length,
      enabled: !registry.isProviderDisabled(id),
      source: registry.sourceOfProvider(id),
    }
  }

  app.get('/providers', (c) => c.json({ object: 'list', data: registry.allProviders().map((provider) => viewProvider(provider.id)) }))

  app.post('/providers', async (c) => {
    const { id, ...spec } = parse(providerCreateSchema, await readJsonBody(c))
    if (registry.allProviders().some((provider) => provider.id === id)) {
      throw new GatewayError('invalid_request', `The provider \`${id}\` already exists; change it with PATCH.`, { param: 'id' })
    }
    await registry.put({ kind: 'provider', id, spec: JSON.stringify(spec), disabled: false })
    const after = viewProvider(id)
    await audit(c, 'provider.create', `provider:${id}`, undefined, after)
    return c.json(after, 201)
  })

  app.patch('/providers/:id', async (c) => {
    const id = c.req.param('id')
    const existing = viewProvider(id)
    const { disabled, ...patch } = parse(providerPatchSchema, await readJsonBody(c))
    const stored = specOf('provider', id)
    let spec: string | null = stored == null ? null : JSON.stringify(stored)
    if (Object.keys(patch).length > 0) {
      const base = stored ?? { type: existing.family === 'openai-compatible' ? 'openai-compatible' : existing.family }
      spec = JSON.stringify({ ...base, ...patch })
    }
    await registry.put({ kind: 'provider', id, spec, disabled: disabled ?? registry.isProviderDisabled(id) })
    const after = viewProvider(id)
    await audit(c, 'provider.update', `provider:${id}`, existing, after)
    return c.json(after)
  })

  app.delete('/providers/:id', async (c) => {
    const id = c.req.param('id')
    const before = viewProvider(id)
    const stored = specOf('provider', id)
    await registry.put({ kind: 'provider', id, spec: stored == null ? null : JSON.stringify(stored), disabled: true })
    const after = viewProvider(id)
    await audit(c, 'provider.disable', `provider:${id}`, before, after)
    return c.json(after)
  })

  return app
}
