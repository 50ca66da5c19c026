import { ConfigError } from './load-config.ts'

type Env = Readonly<Record<string, string | undefined>>

/** An external OpenID Connect issuer that logs users in instead of the gateway's own device flow. */
export type ExternalOidcConfig = {
  issuer: string
  clientId: string
  /** Defaults to `${issuer}/oauth/device/code`-style values only when given; discovery shows what is set. */
  deviceAuthorizationEndpoint: string
  tokenEndpoint: string
  /** The `aud` its access tokens must carry for this gateway (SWITCHYARD_OIDC_AUDIENCE, else the client id). */
  audience: string
  /** SWITCHYARD_OIDC_JWKS_URI; otherwise found through the issuer's discovery document. */
  jwksUri: string | undefined
}

export type AgentConfig = {
  /** The URL users and agents reach the gateway at (`https://llm.example.com`); otherwise taken from each request. */
  publicUrl: string | undefined
  externalOidc: ExternalOidcConfig | undefined
}

/** SWITCHYARD_PUBLIC_URL and SWITCHYARD_OIDC_*: read once at start, like every other setting. */
export function agentConfigFrom(env: Env): AgentConfig {
  const publicUrl = present(env.SWITCHYARD_PUBLIC_URL)
  if (publicUrl != null) assertHttpUrl(publicUrl, 'SWITCHYARD_PUBLIC_URL')
  const issuer = present(env.SWITCHYARD_OIDC_ISSUER)
  if (issuer == null) return { publicUrl: publicUrl?.replace(/\/+$/, ''), externalOidc: undefined }
  assertHttpUrl(issuer, 'SWITCHYARD_OIDC_ISSUER')
  const base = issuer.replace(/\/+$/, '')
  const clientId = present(env.SWITCHYARD_OIDC_CLIENT_ID)
  if (clientId == null) throw new ConfigError('SWITCHYARD_OIDC_CLIENT_ID: is required when SWITCHYARD_OIDC_ISSUER is set')
  const deviceAuthorizationEndpoint = present(env.SWITCHYARD_OIDC_DEVICE_AUTHORIZATION_ENDPOINT) ?? `${base}/oauth/device/code`
  const tokenEndpoint = present(env.SWITCHYARD_OIDC_TOKEN_ENDPOINT) ?? `${base}/oauth/token`
  assertHttpUrl(deviceAuthorizationEndpoint, 'SWITCHYARD_OIDC_DEVICE_AUTHORIZATION_ENDPOINT')
  assertHttpUrl(tokenEndpoint, 'SWITCHYARD_OIDC_TOKEN_ENDPOINT')
  const jwksUri = present(env.SWITCHYARD_OIDC_JWKS_URI)
  if (jwksUri != null) assertHttpUrl(jwksUri, 'SWITCHYARD_OIDC_JWKS_URI')
  const audience = present(env.SWITCHYARD_OIDC_AUDIENCE) ?? clientId
  return {
    publicUrl: publicUrl?.replace(/\/+$/, ''),
    externalOidc: { issuer: base, clientId, deviceAuthorizationEndpoint, tokenEndpoint, audience, jwksUri },
  }
}

function present(value: string | undefined): string | undefined {
  const trimmed = value?.trim()
  return trimmed == null || trimmed === '' ? undefined : trimmed
}

function assertHttpUrl(value: string, name: string): void {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    throw new ConfigError(`${name}: must be an http(s) URL, got "${value}"`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ConfigError(`${name}: must be an http(s) URL, got "${value}"`)
}
