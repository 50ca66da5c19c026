import type { Context, MiddlewareHandler } from 'hono'
import { GatewayError } from '../errors/gateway-error.ts'
import type { AppEnv } from './app-env.ts'

/** Who is paying for a top-up: the user whose balance the webhook will credit. */
export type TopupUserResolver = (c: Context<AppEnv>) => Promise<{ userId: string }>

/**
 * The management API's caller pays: a session token's user, or the owner of a key with the
 * `manage` scope (account-auth middleware, which answers 401/403 itself).
 */
export function resolveTopupUserByAccount(accountAuth: MiddlewareHandler<AppEnv>): TopupUserResolver {
  return async function resolveTopupUser(c) {
    await accountAuth(c, async () => {})
    const principal = c.get('principal')
    if (principal == null || principal.userId === '') {
      throw new GatewayError('permission_denied', 'This credential does not belong to a user, so it cannot top up.')
    }
    return { userId: principal.userId }
  }
}
