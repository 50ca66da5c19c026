import { Hono } from 'hono'
import { z } from 'zod'
import type { UsersService } from '../../accounts/users-service.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import { validationError } from '../../protocol/validation-error.ts'
import type { AppEnv } from '../app-env.ts'
import { readJsonBody } from '../read-json-body.ts'

export const signupSchema = z.strictObject({
  email: z.string().trim().min(3).max(320),
  password: z.string().min(8, 'must be at least 8 characters').max(1024),
})

/** `POST /api/v1/signup`: open sign-up, only when the operator enabled it (SWITCHYARD_OPEN_SIGNUP=true). */
export function signupRoutes(deps: { users: UsersService; openSignup: boolean }): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  app.post('/signup', async (c) => {
    if (!deps.openSignup) {
      throw new GatewayError(
        'permission_denied',
        'Sign-up is closed on this gateway: an admin creates users (`switchyard admin users create`), or the operator sets SWITCHYARD_OPEN_SIGNUP=true.',
      )
    }
    const parsed = signupSchema.safeParse(await readJsonBody(c))
    if (!parsed.success) throw validationError(parsed.error)
    const user = await deps.users.create({ ...parsed.data, actor: 'signup', requestId: c.get('requestId') })
    return c.json(user, 201)
  })
  return app
}
