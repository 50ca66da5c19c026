import { createDeviceBrowser } from './device-browser.ts'

/**
 * A whole device-flow login over HTTP (start, sign in and approve in the scripted browser as a real
 * user, poll), for tests that need a session token. `advanceClock` moves the gateway's injected
 * clock past the poll interval.
 */
export async function loginViaDeviceFlow(
  baseUrl: string,
  user: { email: string; password: string },
  advanceClock: (ms: number) => void,
): Promise<string> {
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  })
  const started = (await (await fetch(`${baseUrl}/api/v1/auth/device/code`, form({ client_id: 'test-client' }))).json()) as {
    device_code: string
    user_code: string
  }
  await createDeviceBrowser(baseUrl).answer(started.user_code, user.email, user.password, 'approve')
  advanceClock(6_000)
  const token = (await (
    await fetch(
      `${baseUrl}/api/v1/auth/token`,
      form({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: started.device_code, client_id: 'test-client' }),
    )
  ).json()) as { access_token?: string }
  if (token.access_token == null) throw new Error(`device-flow login failed: ${JSON.stringify(token)}`)
  return token.access_token
}
