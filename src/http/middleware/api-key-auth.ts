import type { MiddlewareHandler } from 'hono'
import type { ApiKeyAuthenticator } from '../../accounts/api-key-authenticator.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { Scope } from '../../store/store.ts'
import type { AppEnv } from '../app-env.ts'

/** `Authorization: Bearer sk-sy-...` or `x-api-key: sk-sy-...`, then the route's scope. */
/** With no `scope`, any valid key will do (the model list). */
export function apiKeyAuth(options: { authenticator: ApiKeyAuthenticator; scope?: Scope }): MiddlewareHandler<AppEnv> {
  const { authenticator, scope } = options
  return async function apiKeyAuthMiddleware(c, next) {
    const raw = readPresentedKey(c.req.header('authorization'), c.req.header('x-api-key'))
    if (raw == null) {
      throw new GatewayError('invalid_api_key', 'No API key provided. Send `Authorization: Bearer sk-sy-...` or `x-api-key: sk-sy-...`.')
    }
    const record = await authenticator.authenticate(raw)
    if (scope != null && !record.scopes.includes(scope)) {
      throw new GatewayError('permission_denied', `This API key lacks the \`${scope}\` scope needed for this endpoint.`)
    }
    c.set('apiKey', record)
    await next()
  }
}

export function readPresentedKey(authorization: string | undefined, apiKeyHeader: string | undefined): string | undefined {
  if (authorization != null) {
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim())
    if (match?.[1] != null) return match[1].trim()
  }
  const key = apiKeyHeader?.trim()
  return key == null || key === '' ? undefined : key
}
