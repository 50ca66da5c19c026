import { type Context, Hono } from 'hono'
import type { DeviceFlowService } from '../../auth/device-flow-service.ts'
import { type SessionService, sessionLifetimeSeconds } from '../../auth/session-service.ts'
import type { ExternalOidcConfig } from '../../config/agent-config.ts'
import { GatewayError } from '../../errors/gateway-error.ts'
import type { AppEnv } from '../app-env.ts'
import { authenticateUser, type UserAuthDeps } from '../middleware/authenticate-user.ts'

export const deviceCodeGrantType = 'urn:ietf:params:oauth:grant-type:device_code'
export const defaultClientId = 'switchyard-cli'
export const loginScope = 'manage'

export type AuthRoutesDeps = {
  deviceFlow: DeviceFlowService
  sessions: SessionService
  userAuth: UserAuthDeps
  publicUrl: string | undefined
  externalOidc: ExternalOidcConfig | undefined
}

/** The gateway's public base URL: configured, or the origin this request came to. */
export function publicBaseUrl(c: Context, configured: string | undefined): string {
  return configured ?? new URL(c.req.url).origin
}

const clientIdPattern = /^[A-Za-z0-9._:-]{1,64}$/

/**
 * RFC 8628 device authorization and token endpoints, discovery, logout and session introspection.
 * OAuth endpoints answer in RFC 6749 §5.2's shape (`{error, error_description}`), not OpenAI's, because
 * OAuth client libraries read that one.
 */
export function authRoutes(deps: AuthRoutesDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const oauthError = (c: Context, error: string, description: string, status: 400 | 401 | 429 = 400, extra: Record<string, unknown> = {}) =>
    c.json({ error, error_description: description, ...extra }, status, { 'cache-control': 'no-store' })

  app.get('/discovery', (c) => {
    const base = publicBaseUrl(c, deps.publicUrl)
    const external = deps.externalOidc
    return c.json({
      issuer: external?.issuer ?? base,
      client_id: external?.clientId ?? defaultClientId,
      device_authorization_endpoint: external?.deviceAuthorizationEndpoint ?? `${base}/api/v1/auth/device/code`,
      token_endpoint: external?.tokenEndpoint ?? `${base}/api/v1/auth/token`,
      scopes: [loginScope],
      resource: base,
    })
  })

  app.post('/device/code', async (c) => {
    const form = await readForm(c)
    if (form == null) return oauthError(c, 'invalid_request', 'Send the parameters form-encoded (application/x-www-form-urlencoded).')
    const clientId = form.client_id ?? ''
    if (!clientIdPattern.test(clientId))
      return oauthError(c, 'invalid_client', '`client_id` is required: 1–64 letters, digits, `.`, `_`, `:` or `-`.')
    const scope = form.scope ?? loginScope
    if (scope !== loginScope) return oauthError(c, 'invalid_scope', `The only scope is \`${loginScope}\`.`)
    // What the device page shows the user; printable text only, so it cannot smuggle markup or lines.
    const clientName = (form.client_name ?? clientId).replace(/[^\x20-\x7E]/g, '').slice(0, 80) || clientId
    const started = await deps.deviceFlow.start({ clientId, clientName, scope })
    if (started == null) {
      return c.json({ error: 'temporarily_unavailable', error_description: 'Too many logins are pending; retry in a minute.' }, 503, {
        'retry-after': '60',
      })
    }
    const base = publicBaseUrl(c, deps.publicUrl)
    return c.json(
      {
        device_code: started.deviceCode,
        user_code: started.userCode,
        verification_uri: `${base}/device`,
        verification_uri_complete: `${base}/device?user_code=${started.userCode}`,
        expires_in: started.expiresIn,
        interval: started.interval,
      },
      200,
      { 'cache-control': 'no-store' },
    )
  })

  app.post('/token', async (c) => {
    const form = await readForm(c)
    if (form == null) return oauthError(c, 'invalid_request', 'Send the parameters form-encoded (application/x-www-form-urlencoded).')
    if (form.grant_type !== deviceCodeGrantType)
      return oauthError(c, 'unsupported_grant_type', `Only \`${deviceCodeGrantType}\` is supported.`)
    if (form.device_code == null || form.device_code === '') return oauthError(c, 'invalid_request', '`device_code` is required.')
    const result = await deps.deviceFlow.poll(form.device_code, form.client_id ?? '')
    if (result.kind === 'error') {
      const descriptions = {
        authorization_pending: 'The user has not approved yet; keep polling at the interval.',
        slow_down: 'Polling too fast; the interval has grown by 5 seconds.',
        expired_token: 'The device code expired; start a new login.',
        access_denied: 'The user denied the request.',
        invalid_grant: 'Unknown or already used device code (or another client’s).',
      }
      return oauthError(c, result.error, descriptions[result.error], 400, result.interval == null ? {} : { interval: result.interval })
    }
    const issued = await deps.sessions.issue({ userId: result.userId, clientId: result.clientId, scope: result.scope })
    return c.json({ access_token: issued.token, token_type: 'Bearer', expires_in: sessionLifetimeSeconds, scope: result.scope }, 200, {
      'cache-control': 'no-store',
    })
  })

  app.post('/logout', async (c) => {
    const principal = await authenticateUser(deps.userAuth, c)
    if (principal.kind !== 'session')
      throw new GatewayError('invalid_request', 'Logout ends a session; API keys are revoked with `keys revoke`.')
    await deps.sessions.revoke(principal.token)
    return c.json({ revoked: true, session_id: principal.sessionId })
  })

  app.get('/session', async (c) => {
    const principal = await authenticateUser(deps.userAuth, c)
    if (principal.kind !== 'session')
      return c.json({ kind: 'api_key', key_id: principal.keyId, user_id: null, session_id: null, client_id: null, expires_at: null })
    const session = await deps.sessions.find(principal.token)
    return c.json({
      kind: 'session',
      key_id: null,
      user_id: principal.userId,
      session_id: principal.sessionId,
      client_id: session?.clientId ?? null,
      expires_at: session == null ? null : new Date(session.expiresAt).toISOString(),
    })
  })

  return app
}

/** A form-encoded body as a flat record, or undefined when the body is not form-encoded. */
async function readForm(c: Context): Promise<Record<string, string> | undefined> {
  const type = c.req.header('content-type') ?? ''
  if (!type.toLowerCase().startsWith('application/x-www-form-urlencoded')) return undefined
  const params = new URLSearchParams(await c.req.text())
  const form: Record<string, string> = {}
  for (const [name, value] of params) form[name] ??= value
  return form
}
