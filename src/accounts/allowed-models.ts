import type { CatalogModel } from '../catalog/catalog-types.ts'
import { GatewayError } from '../errors/gateway-error.ts'
import type { ApiKeyRecord } from '../store/store.ts'

const compiled = new Map<string, RegExp>()

/** `*` matches any run of characters, `/` included (`openai/*`, `*mini*`); everything else is literal. */
function globToRegExp(glob: string): RegExp {
  let pattern = compiled.get(glob)
  if (pattern == null) {
    const body = glob
      .split('*')
      .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')
    pattern = new RegExp(`^${body}$`)
    if (compiled.size > 10_000) compiled.clear()
    compiled.set(glob, pattern)
  }
  return pattern
}

export function isModelAllowed(allowedModels: readonly string[], model: CatalogModel): boolean {
  if (allowedModels.length === 0) return true
  // The public id, its aliases, and provider/upstream-name, so `openai/*` also covers models an
  // operator declared under another id.
  const names = [model.id, ...model.aliases, `${model.providerId}/${model.upstreamModel}`]
  return allowedModels.some((glob) => {
    const pattern = globToRegExp(glob)
    return names.some((name) => pattern.test(name))
  })
}

/** 403 naming the first candidate the key may not use. */
export function assertModelsAllowed(apiKey: Pick<ApiKeyRecord, 'allowedModels'>, models: readonly CatalogModel[]): void {
  for (const model of models) {
    if (!isModelAllowed(apiKey.allowedModels, model)) {
      throw new GatewayError(
        'permission_denied',
        `This API key may not use the model \`${model.id}\`; it is limited to: ${apiKey.allowedModels.join(', ')}.`,
        { param: 'model' },
      )
    }
  }
}
