import { createApiClient } from './api-client.ts'
import { type CliContext, CliError, exitCodes } from './cli-context.ts'
import { readCredentials, readLastKey } from './credentials-file.ts'

/** The gateway the CLI talks to: SWITCHYARD_API_URL, default http://localhost:8080, no trailing slash. */
export function apiUrl(context: CliContext): string {
  return (context.env.SWITCHYARD_API_URL ?? 'http://localhost:8080').replace(/\/+$/, '')
}

/**
 * A client for the management API: the stored session for this gateway, or else SWITCHYARD_API_KEY
 * (which must carry the `manage` scope; the gateway says so with a 403 if not).
 */
export function managementClient(context: CliContext) {
  const url = apiUrl(context)
  const credentials = readCredentials(context.env)
  const token = credentials != null && credentials.api_url === url ? credentials.access_token : context.env.SWITCHYARD_API_KEY
  if (token == null || token === '') {
    throw new CliError(
      `Not logged in to ${url}. Run \`switchyard login\` (or set SWITCHYARD_API_KEY to a key with the manage scope).`,
      exitCodes.userError,
    )
  }
  return createApiClient({ baseUrl: url, token })
}

/** The API key for data-plane calls: --key, then SWITCHYARD_API_KEY, then the last key `keys create` cached. */
export function dataPlaneKey(context: CliContext, flag: string | undefined): string {
  const key = flag ?? context.env.SWITCHYARD_API_KEY ?? readLastKey(context.env)
  if (key == null || key === '') {
    throw new CliError(
      'No API key available: run `switchyard keys create --name <name>` first, or pass --key / set SWITCHYARD_API_KEY.',
      exitCodes.userError,
    )
  }
  return key
}

export function dataPlaneClient(context: CliContext, flag: string | undefined) {
  return createApiClient({ baseUrl: apiUrl(context), token: dataPlaneKey(context, flag) })
}
