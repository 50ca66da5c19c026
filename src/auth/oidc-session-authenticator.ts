import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose'
import type { SessionAuthenticator } from './auth-seams.ts'

type FindUserByEmail = (email: string) => Promise<{ id: string } | undefined>

/**
 * Accepts access tokens of the external OpenID Connect issuer (SWITCHYARD_OIDC_ISSUER) on the
 * management API, beside the gateway's own device-flow sessions (`sy-session-…`, handed to
 * `fallback`). A token counts only if it is a JWT signed by a key of the issuer's published JWKS
 * (found through its discovery document, fetched once and cached by jose), issued by that issuer,
 * meant for this gateway (`aud`), unexpired, and carrying a verified `email` of an existing user:
 * the issuer proves who someone is; the gateway still decides who is a user.
 */
export function createOidcSessionAuthenticator(options: {
  issuer: string
  audience: string
  /** Where the signing keys are; otherwise `jwks_uri` of `<issuer>/.well-known/openid-configuration`. */
  jwksUri: string | undefined
  findUserByEmail: FindUserByEmail
  fallback: SessionAuthenticator
  fetchImpl?: typeof fetch
}): SessionAuthenticator {
  const fetchImpl = options.fetchImpl ?? fetch
  let keySet: Promise<ReturnType<typeof createRemoteJWKSet>> | undefined
  // Issuers differ on a trailing slash in `iss` (Auth0 has one); both spellings of ours are accepted.
  const issuers = [options.issuer, `${options.issuer}/`]

  async function discoverKeys(): Promise<ReturnType<typeof createRemoteJWKSet>> {
    if (options.jwksUri != null) return createRemoteJWKSet(new URL(options.jwksUri))
    const response = await fetchImpl(`${options.issuer}/.well-known/openid-configuration`, { signal: AbortSignal.timeout(5_000) })
    if (!response.ok) throw new Error(`OIDC discovery at ${options.issuer} answered ${response.status}`)
    const { jwks_uri: jwksUri } = (await response.json()) as { jwks_uri?: unknown }
    if (typeof jwksUri !== 'string') throw new Error(`OIDC discovery at ${options.issuer} names no jwks_uri`)
    return createRemoteJWKSet(new URL(jwksUri))
  }

  return {
    async authenticate(token) {
      if (!looksLikeJwt(token)) return options.fallback.authenticate(token)
      keySet ??= discoverKeys().catch((error: unknown) => {
        keySet = undefined // try discovery again on the next token
        throw error
      })
      let payload: JWTPayload
      try {
        ;({ payload } = await jwtVerify(token, await keySet, { issuer: issuers, audience: options.audience }))
      } catch {
        return undefined
      }
      if (typeof payload.email !== 'string' || payload.email_verified === false) return undefined
      const user = await options.findUserByEmail(payload.email.toLowerCase())
      if (user == null) return undefined
      return { userId: user.id, sessionId: `oidc:${payload.jti ?? payload.sub ?? 'token'}` }
    },
  }
}

function looksLikeJwt(token: string): boolean {
  return /^[\w-]+\.[\w-]+\.[\w-]+$/.test(token)
}
