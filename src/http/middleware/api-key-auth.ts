import type { MiddlewareHandler } from 'hono'
import type { ApiKeyAuthenticator } from '../../accounts/api-key-authenticator.ts'
import type { Scope } from '../../store/store.ts'
import type { AppEnv } from '../app-env.ts'
import { authenticateRequest } from '../authenticate-request.ts'

/** API-key authentication for Hono routes (the data plane does the same in http/data-plane/). */
export function apiKeyAuth(options: { authenticator: ApiKeyAuthenticator; scope?: Scope }): MiddlewareHandler<AppEnv> {
  const { authenticator, scope } = options
  return async function apiKeyAuthMiddleware(c, next) {
    c.set('apiKey', await authenticateRequest(authenticator, c.req.raw.headers, scope))
    await next()
  }
}
