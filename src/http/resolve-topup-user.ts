import type { Context } from 'hono'
import type { ApiKeyAuthenticator } from '../accounts/api-key-authenticator.ts'
import { GatewayError } from '../errors/gateway-error.ts'
import type { AppEnv } from './app-env.ts'
import { readPresentedKey } from './middleware/api-key-auth.ts'

/** Who is paying for a top-up: the user whose balance the webhook will credit. */
export type TopupUserResolver = (c: Context<AppEnv>) => Promise<{ userId: string }>

/**
 * Interim owner resolution until keys belong to users (the accounts branch): an API key with the
 * `manage` scope pays for itself, its key id standing in for the user id. At merge this is replaced
 * by the management API's caller (session token or `manage` key → its user).
 */
export function resolveTopupUserByApiKey(authenticator: ApiKeyAuthenticator): TopupUserResolver {
  return async function resolveTopupUser(c) {
    const raw = readPresentedKey(c.req.header('authorization'), c.req.header('x-api-key'))
    if (raw == null) {
      throw new GatewayError(
        'invalid_api_key',
        'No API key provided. Send `Authorization: Bearer sk-sy-...` (a key with the `manage` scope).',
      )
    }
    const record = await authenticator.authenticate(raw)
    if (!record.scopes.includes('manage')) {
      throw new GatewayError('permission_denied', 'This API key lacks the `manage` scope needed to top up.')
    }
    c.set('apiKey', record)
    return { userId: record.id }
  }
}
