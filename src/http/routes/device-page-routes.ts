import { type Context, Hono } from 'hono'
import { getConnInfo } from 'hono/bun'
import { getCookie, setCookie } from 'hono/cookie'
import { randomBase62 } from '../../accounts/api-key-secret.ts'
import type { CredentialVerifier } from '../../auth/auth-seams.ts'
import type { DeviceFlowService } from '../../auth/device-flow-service.ts'
import type { EntryGuard } from '../../auth/entry-guard.ts'
import { type DevicePageView, renderDevicePage } from '../../auth/render-device-page.ts'
import type { AppEnv } from '../app-env.ts'

const csrfCookie = 'sy_device_csrf'

export type DevicePageDeps = {
  deviceFlow: DeviceFlowService
  entryGuard: EntryGuard
  /** Accounts' password check (seam 4); absent means no local users, and the page says so. */
  verifyCredentials: CredentialVerifier
}

/**
 * `/device`: the user enters the code, sees which client asks, signs in and approves or denies.
 * CSRF: a random token in a SameSite=Strict, HttpOnly cookie must match the form's hidden field,
 * and a cross-site `Origin` is refused. The page frames nothing and cannot be framed.
 */
export function devicePageRoutes(deps: DevicePageDeps): Hono<AppEnv> {
  const app = new Hono<AppEnv>()

  const page = (c: Context, view: DevicePageView, status: 200 | 400 | 403 | 429 | 503 = 200) =>
    c.html(renderDevicePage(view), status, {
      'cache-control': 'no-store',
      'x-frame-options': 'DENY',
      'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
      'referrer-policy': 'no-referrer',
    })

  const csrfFor = (c: Context) => {
    const existing = getCookie(c, csrfCookie)
    if (existing != null && /^[A-Za-z0-9]{32}$/.test(existing)) return existing
    const token = randomBase62(32)
    setCookie(c, csrfCookie, token, {
      httpOnly: true,
      sameSite: 'Strict',
      path: '/device',
      secure: new URL(c.req.url).protocol === 'https:',
    })
    return token
  }

  app.get('/device', async (c) => {
    const csrfToken = csrfFor(c)
    const typed = c.req.query('user_code')
    // Even with the code in the link (verification_uri_complete) the user sees it and must click: RFC 8628 §5.4.
    if (typed != null) {
      const pending = await deps.deviceFlow.describe(typed)
      if (pending != null) return page(c, { step: 'confirm', csrfToken, ...pending })
      return page(c, { step: 'enter_code', csrfToken, message: 'That code is unknown or has expired.' })
    }
    return page(c, { step: 'enter_code', csrfToken })
  })

  app.post('/device', async (c) => {
    const origin = c.req.header('origin')
    if (origin != null && origin !== 'null' && origin !== new URL(c.req.url).origin) {
      return page(c, { step: 'blocked', message: 'This form can only be sent from this site.' }, 403)
    }
    const form = new URLSearchParams(await c.req.text())
    const cookie = getCookie(c, csrfCookie)
    if (cookie == null || form.get('csrf') !== cookie) {
      return page(c, { step: 'blocked', message: 'The form expired; reload the page and try again.' }, 403)
    }
    const address = clientAddress(c)
    // Shared limits live in Redis; without them, guesses would go uncounted, so the page waits.
    const unavailable = () => page(c, { step: 'blocked', message: 'Sign-in is unavailable right now. Try again in a minute.' }, 503)
    const admitted = await deps.entryGuard.admit(address).catch(() => undefined)
    if (admitted == null) return unavailable()
    if (!admitted.allowed) {
      c.header('retry-after', String(admitted.retryAfterSeconds))
      return page(
        c,
        { step: 'blocked', message: `Too many attempts. Try again in ${Math.ceil(admitted.retryAfterSeconds / 60)} minutes.` },
        429,
      )
    }
    const typed = form.get('user_code') ?? ''
    const pending = await deps.deviceFlow.describe(typed)
    if (pending == null) {
      const recorded = await deps.entryGuard.recordWrongCode(address).then(
        () => true,
        () => false,
      )
      if (!recorded) return unavailable()
      return page(c, { step: 'enter_code', csrfToken: cookie, message: 'That code is unknown or has expired.' }, 400)
    }
    const action = form.get('action')
    if (action === 'lookup') return page(c, { step: 'confirm', csrfToken: cookie, ...pending })
    if (action !== 'approve' && action !== 'deny')
      return page(c, { step: 'confirm', csrfToken: cookie, ...pending, message: 'Choose Approve or Deny.' }, 400)
    // Both answers need the account holder: otherwise anyone with the code could deny it.
    const email = (form.get('email') ?? '').trim()
    const user = await deps.verifyCredentials(email, form.get('password') ?? '')
    if (user == null) {
      const { locked } = await deps.deviceFlow.recordFailedSignIn(typed)
      if (locked) return page(c, { step: 'blocked', message: 'Too many wrong passwords: this code is locked. Start the login again.' }, 403)
      return page(c, { step: 'confirm', csrfToken: cookie, ...pending, email, message: 'Wrong email or password.' }, 400)
    }
    if (action === 'approve') await deps.deviceFlow.approve(typed, user.userId)
    else await deps.deviceFlow.deny(typed)
    return page(c, { step: 'done', approved: action === 'approve', clientName: pending.clientName })
  })

  return app
}

/** The peer address from Bun's server; a proxy's X-Forwarded-For is not trusted (it is the client's to forge). */
function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown'
  } catch {
    return 'unknown'
  }
}
