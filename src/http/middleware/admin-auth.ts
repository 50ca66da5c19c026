import type { MiddlewareHandler } from 'hono'
import { digestSecret, digestsEqual } from '../../accounts/api-key-secret.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { AppEnv } from '../app-env.ts'
import { readPresentedKey } from '../authenticate-request.ts'

/** Admin routes take the admin token (printed at first start, or SWITCHYARD_ADMIN_TOKEN). */
export function adminAuth(options: { adminTokenDigest: string }): MiddlewareHandler<AppEnv> {
  return async function adminAuthMiddleware(c, next) {
    const presented = readPresentedKey(c.req.header('authorization'), c.req.header('x-api-key'))
    if (presented == null) throw new GatewayError('invalid_api_key', 'Admin routes need `Authorization: Bearer <admin token>`.')
    if (!digestsEqual(digestSecret(presented), options.adminTokenDigest)) {
      // A valid user key on an admin route is a permission problem, not a bad credential.
      if (presented.startsWith('sk-sy-')) throw new GatewayError('permission_denied', 'Admin routes need the admin token, not an API key.')
      throw new GatewayError('invalid_api_key', 'Incorrect admin token.')
    }
    await next()
  }
}
