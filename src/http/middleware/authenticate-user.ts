import type { Context } from 'hono'
import type { ApiKeyAuthenticator } from '../../accounts/api-key-authenticator.ts'
import type { SessionAuthenticator } from '../../auth/auth-seams.ts'
import { sessionTokenPrefix } from '../../auth/session-service.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import { readPresentedKey } from '../authenticate-request.ts'

/** Who is calling a user endpoint: a device-flow session, or an API key with the `manage` scope. */
export type UserPrincipal =
  | { kind: 'session'; userId: string; sessionId: string; token: string }
  | { kind: 'api_key'; keyId: string; token: string }

export type UserAuthDeps = { sessions: SessionAuthenticator; apiKeys: ApiKeyAuthenticator }

/** Management-API authentication (PRODUCT §5): a session token or a `manage` key; 401/403 otherwise. */
export async function authenticateUser(deps: UserAuthDeps, c: Context): Promise<UserPrincipal> {
  const token = readPresentedKey(c.req.header('authorization'), undefined)
  if (token == null) {
    throw new GatewayError(
      'invalid_api_key',
      'Send `Authorization: Bearer <session token>` (from `switchyard login`) or a key with the `manage` scope.',
    )
  }
  if (token.startsWith(sessionTokenPrefix)) {
    const session = await deps.sessions.authenticate(token)
    if (session == null)
      throw new GatewayError('invalid_api_key', 'The session token is unknown, expired or revoked; run `switchyard login`.')
    return { kind: 'session', ...session, token }
  }
  const key = await deps.apiKeys.authenticate(token)
  if (!key.scopes.includes('manage'))
    throw new GatewayError('permission_denied', 'This API key lacks the `manage` scope needed for this endpoint.')
  return { kind: 'api_key', keyId: key.id, token }
}
