import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// An external OpenID Connect issuer in front of the management API: a local issuer serves its
// discovery document and JWKS, and signs access tokens with its own key. The gateway accepts a
// token only if that issuer signed it for this audience, it is unexpired, and its verified email
// belongs to a gateway user. Real HTTP throughout.

const clientId = 'switchyard-cli'
const { privateKey, publicKey } = await generateKeyPair('RS256')
const stranger = await generateKeyPair('RS256')
let discoveryRequests = 0
let issuerUrl = ''
const issuerServer = Bun.serve({
  port: 0,
  hostname: '127.0.0.1',
  async fetch(request): Promise<Response> {
    const path = new URL(request.url).pathname
    if (path === '/.well-known/openid-configuration') {
      discoveryRequests++
      return Response.json({ issuer: issuerUrl, jwks_uri: `${issuerUrl}/keys` })
    }
    if (path === '/keys') return Response.json({ keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }] })
    return new Response('not found', { status: 404 })
  },
})
issuerUrl = `http://127.0.0.1:${issuerServer.port}`

let gateway: TestGateway
const email = `oidc-${crypto.randomUUID()}@example.com`

beforeAll(async () => {
  gateway = await startTestGateway({ env: { SWITCHYARD_OIDC_ISSUER: issuerUrl, SWITCHYARD_OIDC_CLIENT_ID: clientId } })
  await gateway.createUser({ email })
})

afterAll(async () => {
  await gateway.stop()
  issuerServer.stop(true)
})

async function token(claims: JWTPayload, options: { key?: CryptoKey; issuer?: string; audience?: string; expiresIn?: string } = {}) {
  return new SignJWT({ email, email_verified: true, ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(options.issuer ?? issuerUrl)
    .setAudience(options.audience ?? clientId)
    .setSubject('user-123')
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '5m')
    .sign(options.key ?? privateKey)
}

const me = (bearer: string) => fetch(`${gateway.url}/api/v1/me`, { headers: { authorization: `Bearer ${bearer}` } })

describe('external OIDC issuer', () => {
  test('discovery points at the issuer, and its signed token opens the management API as the matching user', async () => {
    const discovery = (await (await fetch(`${gateway.url}/api/v1/auth/discovery`)).json()) as { issuer: string; client_id: string }
    expect(discovery).toMatchObject({ issuer: issuerUrl, client_id: clientId })
    const response = await me(await token({}))
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ email, auth: 'session' })
    // An upper-case email claim is the same user; the discovery document was read once.
    expect((await me(await token({ email: email.toUpperCase() }))).status).toBe(200)
    expect(discoveryRequests).toBe(1)
  })

  test('anything else is refused with 401: another key, issuer or audience, expired, unverified or unknown email', async () => {
    const refused = [
      await token({}, { key: stranger.privateKey }),
      await token({}, { issuer: 'http://127.0.0.1:1' }),
      await token({}, { audience: 'someone-else' }),
      await token({}, { expiresIn: '-1m' }),
      await token({ email_verified: false }),
      await token({ email: 'nobody@example.com' }),
      'not.a.jwt',
    ]
    for (const bearer of refused) expect((await me(bearer)).status).toBe(401)
  })
})
