import { createApiClient } from './api-client.ts'
import { type CliContext, CliError, exitCodes } from './cli-context.ts'

/**
 * The API client every `switchyard admin …` command talks through: the admin token from
 * SWITCHYARD_ADMIN_TOKEN (a usage error when unset), the gateway from SWITCHYARD_API_URL.
 * Built when an action runs, not when commands are registered, so `--help` needs no token.
 */
export function createAdminApiClient(context: CliContext): ReturnType<typeof createApiClient> {
  const token = context.env.SWITCHYARD_ADMIN_TOKEN
  if (token == null || token === '') {
    throw new CliError('Set SWITCHYARD_ADMIN_TOKEN to the admin token printed when the gateway first started.', exitCodes.userError)
  }
  return createApiClient({ baseUrl: context.env.SWITCHYARD_API_URL ?? 'http://localhost:8080', token })
}
