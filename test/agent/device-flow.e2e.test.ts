import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { userCodeAlphabet } from '../../src/auth/user-code.ts'
import { createDeviceBrowser } from '../support/device-browser.ts'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// RFC 8628 over real HTTP: the gateway's device endpoints, its /device page driven by a scripted
// browser signing in as a real user (created through the admin API with a password), and a clock
// the test moves (expiry, polling speed).

let gateway: TestGateway
let now = Date.now()
const user = { id: '', email: `device-${crypto.randomUUID()}@example.com`, password: 'correct horse battery staple' }

beforeAll(async () => {
  gateway = await startTestGateway({ now: () => now })
  user.id = (await gateway.createUser({ email: user.email, password: user.password })).id
})

afterAll(async () => {
  await gateway.stop()
})

const grantType = 'urn:ietf:params:oauth:grant-type:device_code'

async function postForm(path: string, fields: Record<string, string>) {
  const response = await fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  })
  return { status: response.status, body: (await response.json()) as Record<string, unknown>, headers: response.headers }
}

type Started = {
  device_code: string
  user_code: string
  verification_uri: string
  verification_uri_complete: string
  expires_in: number
  interval: number
}

async function startLogin(clientName = 'Test Agent'): Promise<Started> {
  const started = await postForm('/api/v1/auth/device/code', { client_id: 'switchyard-cli', client_name: clientName })
  expect(started.status).toBe(200)
  return started.body as unknown as Started
}

const poll = (deviceCode: string, clientId = 'switchyard-cli') =>
  postForm('/api/v1/auth/token', { grant_type: grantType, device_code: deviceCode, client_id: clientId })

describe('device authorization request', () => {
  test('codes have the RFC 8628 shape and entropy', async () => {
    const started = await startLogin()
    expect(started.user_code).toMatch(new RegExp(`^[${userCodeAlphabet}]{4}-[${userCodeAlphabet}]{4}$`))
    // 32 random bytes in base64url: 256 bits, well above the 128 asked for.
    expect(started.device_code).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(started.expires_in).toBeLessThanOrEqual(900)
    expect(started.interval).toBe(5)
    expect(started.verification_uri).toBe(`${gateway.url}/device`)
    expect(started.verification_uri_complete).toBe(`${gateway.url}/device?user_code=${started.user_code}`)
  })

  test('refuses JSON bodies, a missing client_id and an unknown scope', async () => {
    const json = await fetch(`${gateway.url}/api/v1/auth/device/code`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"client_id":"x"}',
    })
    expect(json.status).toBe(400)
    expect(((await json.json()) as { error: string }).error).toBe('invalid_request')
    expect((await postForm('/api/v1/auth/device/code', {})).body.error).toBe('invalid_client')
    expect((await postForm('/api/v1/auth/device/code', { client_id: 'a', scope: 'admin' })).body.error).toBe('invalid_scope')
  })
})

describe('token endpoint errors', () => {
  test('authorization_pending, then slow_down (+5 s, for later polls too), then pending again at the slower pace', async () => {
    const started = await startLogin()
    const first = await poll(started.device_code)
    expect(first.status).toBe(400)
    expect(first.body.error).toBe('authorization_pending')
    expect(first.headers.get('cache-control')).toBe('no-store')
    const tooFast = await poll(started.device_code)
    expect(tooFast.body).toMatchObject({ error: 'slow_down', interval: 10 })
    now += 6_000 // enough for the old 5 s interval, not for the new 10 s one
    expect((await poll(started.device_code)).body).toMatchObject({ error: 'slow_down', interval: 15 })
    now += 16_000
    expect((await poll(started.device_code)).body.error).toBe('authorization_pending')
  })

  test('expired_token after expires_in', async () => {
    const started = await startLogin()
    now += started.expires_in * 1000 + 1
    expect((await poll(started.device_code)).body.error).toBe('expired_token')
    // The page no longer accepts the code either.
    const page = await createDeviceBrowser(gateway.url).open(started.user_code)
    expect(page.html).toContain('unknown or has expired')
  })

  test('invalid_grant for an unknown code or another client’s; unsupported_grant_type; invalid_request', async () => {
    expect((await poll('not-a-real-device-code')).body.error).toBe('invalid_grant')
    const started = await startLogin()
    expect((await poll(started.device_code, 'some-other-client')).body.error).toBe('invalid_grant')
    expect((await postForm('/api/v1/auth/token', { grant_type: 'password', device_code: started.device_code })).body.error).toBe(
      'unsupported_grant_type',
    )
    expect((await postForm('/api/v1/auth/token', { grant_type: grantType })).body.error).toBe('invalid_request')
  })

  test('access_denied when the user denies', async () => {
    const started = await startLogin('Denied Agent')
    const browser = createDeviceBrowser(gateway.url)
    const confirm = await browser.open(started.user_code)
    expect(confirm.html).toContain('Denied Agent')
    const denied = await browser.answer(started.user_code, user.email, user.password, 'deny')
    expect(denied.html).toContain('Denied.')
    now += 6_000
    expect((await poll(started.device_code)).body.error).toBe('access_denied')
  })
})

describe('approval, session and single use', () => {
  test('approve → one session token; the code cannot be used twice; the token works until logout', async () => {
    const started = await startLogin('Claude Code on laptop')
    const browser = createDeviceBrowser(gateway.url)
    // The user types the code by hand, with a lower-case letter and no dash.
    await browser.open()
    const confirm = await browser.submit({ action: 'lookup', user_code: started.user_code.replace('-', '').toLowerCase() })
    expect(confirm.status).toBe(200)
    expect(confirm.html).toContain('Claude Code on laptop')
    expect(confirm.html).toContain('switchyard-cli')
    expect(confirm.html).toContain(started.user_code)
    const approved = await browser.answer(started.user_code, user.email, user.password, 'approve')
    expect(approved.status).toBe(200)
    expect(approved.html).toContain('Approved.')

    now += 6_000
    const token = await poll(started.device_code)
    expect(token.status).toBe(200)
    expect(token.body).toMatchObject({ token_type: 'Bearer', scope: 'manage' })
    const accessToken = String(token.body.access_token)
    expect(accessToken).toMatch(/^sy-session-[A-Za-z0-9]{43}$/)
    now += 6_000
    expect((await poll(started.device_code)).body.error).toBe('invalid_grant')

    const auth = { authorization: `Bearer ${accessToken}` }
    const session = await fetch(`${gateway.url}/api/v1/auth/session`, { headers: auth })
    expect(session.status).toBe(200)
    expect(await session.json()).toMatchObject({ kind: 'session', user_id: user.id, client_id: 'switchyard-cli' })
    // The session acts for that real user on the management API.
    const me = await fetch(`${gateway.url}/api/v1/me`, { headers: auth })
    expect(me.status).toBe(200)
    expect(await me.json()).toMatchObject({ id: user.id, email: user.email, auth: 'session' })

    const logout = await fetch(`${gateway.url}/api/v1/auth/logout`, { method: 'POST', headers: auth })
    expect(logout.status).toBe(200)
    const after = await fetch(`${gateway.url}/api/v1/auth/session`, { headers: auth })
    expect(after.status).toBe(401)
    expect(((await after.json()) as { error: { message: string } }).error.message).toContain('revoked')
  })

  test('five wrong passwords lock the code; polling then hears access_denied', async () => {
    const started = await startLogin()
    const browser = createDeviceBrowser(gateway.url)
    for (let attempt = 1; attempt <= 4; attempt++) {
      const wrong = await browser.answer(started.user_code, user.email, 'wrong password', 'approve')
      expect(wrong.status).toBe(400)
      expect(wrong.html).toContain('Wrong email or password')
    }
    const locked = await browser.answer(started.user_code, user.email, 'wrong password', 'approve')
    expect(locked.status).toBe(403)
    expect(locked.html).toContain('locked')
    const late = await browser.answer(started.user_code, user.email, user.password, 'approve')
    expect(late.html).toContain('unknown or has expired')
    now += 6_000
    expect((await poll(started.device_code)).body.error).toBe('access_denied')
  })

  test('the form needs its CSRF cookie and a same-site Origin', async () => {
    const started = await startLogin()
    const noCookie = await fetch(`${gateway.url}/device`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: 'x', action: 'lookup', user_code: started.user_code }).toString(),
    })
    expect(noCookie.status).toBe(403)
    const browser = createDeviceBrowser(gateway.url)
    await browser.open()
    const crossSite = await browser.submit({ action: 'lookup', user_code: started.user_code }, { origin: 'https://evil.example' })
    expect(crossSite.status).toBe(403)
    const page = await fetch(`${gateway.url}/device`)
    expect(page.headers.get('x-frame-options')).toBe('DENY')
    expect(await page.text()).not.toMatch(/<script|https?:\/\//)
  })
})

describe('user-code entry is rate limited per address', () => {
  test('after five wrong codes the address is locked out, even for a right code', async () => {
    const isolated = await startTestGateway()
    try {
      const started = (await (
        await fetch(`${isolated.url}/api/v1/auth/device/code`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: 'client_id=switchyard-cli',
        })
      ).json()) as Started
      const browser = createDeviceBrowser(isolated.url)
      await browser.open()
      for (let attempt = 0; attempt < 5; attempt++) {
        expect((await browser.submit({ action: 'lookup', user_code: 'BBBB-BBBB' })).status).toBe(400)
      }
      const blocked = await browser.submit({ action: 'lookup', user_code: started.user_code })
      expect(blocked.status).toBe(429)
      expect(blocked.html).toContain('Too many attempts')
    } finally {
      await isolated.stop()
    }
  })
})

describe('discovery', () => {
  test('points at the gateway’s own endpoints', async () => {
    const discovery = await (await fetch(`${gateway.url}/api/v1/auth/discovery`)).json()
    expect(discovery).toEqual({
      issuer: gateway.url,
      client_id: 'switchyard-cli',
      device_authorization_endpoint: `${gateway.url}/api/v1/auth/device/code`,
      token_endpoint: `${gateway.url}/api/v1/auth/token`,
      scopes: ['manage'],
      resource: gateway.url,
    })
  })

  test('points at an external OIDC issuer when one is configured', async () => {
    const external = await startTestGateway({
      env: {
        SWITCHYARD_OIDC_ISSUER: 'https://login.example.com/oidc/',
        SWITCHYARD_OIDC_CLIENT_ID: 'switchyard',
        SWITCHYARD_PUBLIC_URL: 'https://llm.example.com',
      },
    })
    try {
      const discovery = await (await fetch(`${external.url}/api/v1/auth/discovery`)).json()
      expect(discovery).toEqual({
        issuer: 'https://login.example.com/oidc',
        client_id: 'switchyard',
        device_authorization_endpoint: 'https://login.example.com/oidc/oauth/device/code',
        token_endpoint: 'https://login.example.com/oidc/oauth/token',
        scopes: ['manage'],
        resource: 'https://llm.example.com',
      })
    } finally {
      await external.stop()
    }
  })
})
