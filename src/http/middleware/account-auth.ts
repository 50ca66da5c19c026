import type { MiddlewareHandler } from 'hono'
import type { ApiKeyAuthenticator } from '../../accounts/api-key-authenticator.ts'
import { apiKeyPrefix } from '../../accounts/api-key-secret.ts'
import type { SessionAuthenticator } from '../../accounts/session-authenticator.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { AppEnv } from '../app-env.ts'
import { readPresentedKey } from '../authenticate-request.ts'

/**
 * The management API acts for a user: either a key with the `manage` scope (its owner) or a
 * session token, checked by the pluggable SessionAuthenticator (absent = session tokens are 401).
 */
export function accountAuth(options: {
  authenticator: ApiKeyAuthenticator
  sessions: SessionAuthenticator | undefined
}): MiddlewareHandler<AppEnv> {
  return async function accountAuthMiddleware(c, next) {
    const presented = readPresentedKey(c.req.header('authorization'), c.req.header('x-api-key'))
    if (presented == null) {
      throw new GatewayError('invalid_api_key', 'Send `Authorization: Bearer <session token or sk-sy-... key with the manage scope>`.')
    }
    if (presented.startsWith(apiKeyPrefix)) {
      const record = await options.authenticator.authenticate(presented)
      if (!record.scopes.includes('manage')) {
        throw new GatewayError('permission_denied', 'This API key lacks the `manage` scope needed for the management API.')
      }
      c.set('apiKey', record)
      c.set('principal', { userId: record.userId ?? '', via: 'key', credentialId: record.id })
      return next()
    }
    const session = options.sessions == null ? undefined : await options.sessions.authenticate(presented)
    if (session == null) throw new GatewayError('invalid_api_key', 'The session token is invalid or expired; sign in again.')
    c.set('principal', { userId: session.userId, via: 'session', credentialId: session.sessionId })
    await next()
  }
}
