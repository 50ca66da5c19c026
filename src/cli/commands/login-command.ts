import { hostname } from 'node:os'
import type { Command } from 'commander'
import { CliError, exitCodes } from '../cli-context.ts'
import { apiUrl, managementClient } from '../cli-session.ts'
import type { CommandKit } from '../command-kit.ts'
import { deleteCredentials, readCredentials, writeCredentials } from '../credentials-file.ts'
import { openInBrowser } from '../open-in-browser.ts'
import { startSpinner, terminalStyle } from '../terminal-style.ts'

const clientId = 'switchyard-cli'
const grantType = 'urn:ietf:params:oauth:grant-type:device_code'

type Discovery = { client_id: string; device_authorization_endpoint: string; token_endpoint: string }
type DeviceStart = {
  error?: string
  error_description?: string
  device_code: string
  user_code: string
  verification_uri: string
  verification_uri_complete?: string
  expires_in: number
  interval?: number
}
type TokenAnswer = { access_token?: string; expires_in?: number; error?: string; error_description?: string; interval?: number }

/** `switchyard login|logout|whoami`: RFC 8628 device flow against the gateway's discovery document. */
export function registerLoginCommands(program: Command, kit: CommandKit): void {
  const { context, run, output } = kit
  const style = terminalStyle(context.isTty === true)

  program
    .command('login')
    .description('Log in with the device flow: open the URL, enter the code, approve; the session is saved.')
    .option('--open', 'also open the approval page in the default browser')
    .addHelpText('after', '\nExample:\n  switchyard login\n  SWITCHYARD_API_URL=https://llm.example.com switchyard login --json\n')
    .action((flags: { open?: boolean }) =>
      run(async () => {
        const base = apiUrl(context)
        const discovery = await getJson<Discovery>(`${base}/api/v1/auth/discovery`)
        const started = await postForm<DeviceStart>(discovery.device_authorization_endpoint, {
          client_id: discovery.client_id ?? clientId,
          client_name: `switchyard CLI on ${hostname()}`,
        })
        if (started.status !== 200 || started.body.device_code == null) {
          throw new CliError(
            `The gateway refused to start a login (${describeOauthError(started.body)}).`,
            exitCodes.serverError,
            started.body,
          )
        }
        const start = started.body
        // The URL and code go to stderr so that `--json` stdout stays one JSON document.
        context.stderr(`Visit: ${start.verification_uri}\nAnd enter code: ${style.bold(start.user_code)}\n`)
        if (start.verification_uri_complete != null) context.stderr(`(or open ${start.verification_uri_complete})\n`)
        if (flags.open === true) openInBrowser(start.verification_uri_complete ?? start.verification_uri)
        const spinner = startSpinner({
          isTty: context.isTty === true,
          write: context.status ?? (() => {}),
          label: 'Waiting for authorization…',
        })
        let token: TokenAnswer
        try {
          token = await pollForToken(discovery, start)
        } finally {
          spinner.stop()
        }
        const accessToken = token.access_token as string
        const now = Date.now()
        const file = writeCredentials(context.env, {
          api_url: base,
          access_token: accessToken,
          token_type: 'Bearer',
          expires_at: new Date(now + (token.expires_in ?? 0) * 1000).toISOString(),
          created_at: new Date(now).toISOString(),
        })
        const session = await managementClient(context)
          .request<{ user_id: string | null; session_id: string | null }>('GET', '/api/v1/auth/session')
          .catch(() => ({ user_id: null, session_id: null }))
        output().print(
          { logged_in: true, api_url: base, user_id: session.user_id, session_id: session.session_id, credentials_file: file },
          () => `${style.green('OK')} logged in to ${base}`,
        )
      }),
    )

  program
    .command('logout')
    .description('Revoke the saved session on the gateway and forget it locally.')
    .addHelpText('after', '\nExample:\n  switchyard logout --json\n')
    .action(() =>
      run(async () => {
        const credentials = readCredentials(context.env)
        let revoked = false
        if (credentials != null) {
          const response = await fetch(`${credentials.api_url}/api/v1/auth/logout`, {
            method: 'POST',
            headers: { authorization: `Bearer ${credentials.access_token}` },
          }).catch(() => undefined)
          revoked = response?.status === 200
        }
        const removed = deleteCredentials(context.env)
        output().print({ logged_out: removed, revoked }, () =>
          removed ? `Logged out${revoked ? '' : ' (the gateway could not be told; the session expires on its own)'}.` : 'Not logged in.',
        )
      }),
    )

  program
    .command('whoami')
    .description('Show the signed-in user and the balance.')
    .addHelpText('after', '\nExample:\n  switchyard whoami --json\n')
    .action(() =>
      run(async () => {
        const me = await managementClient(context).request<Record<string, unknown>>('GET', '/api/v1/me')
        output().print(me, () =>
          Object.entries(me)
            .filter(([, value]) => value != null && typeof value !== 'object')
            .map(([name, value]) => `${name}: ${String(value)}`)
            .join('\n'),
        )
      }),
    )

  async function pollForToken(discovery: Discovery, start: DeviceStart): Promise<TokenAnswer> {
    let intervalSeconds = start.interval ?? 5
    const deadline = Date.now() + start.expires_in * 1000
    while (Date.now() < deadline) {
      await Bun.sleep(intervalSeconds * 1000)
      const answer = await postForm<TokenAnswer>(discovery.token_endpoint, {
        grant_type: grantType,
        device_code: start.device_code,
        client_id: discovery.client_id ?? clientId,
      })
      if (answer.status === 200 && answer.body.access_token != null) return answer.body
      if (answer.body.error === 'authorization_pending') continue
      if (answer.body.error === 'slow_down') {
        intervalSeconds = answer.body.interval ?? intervalSeconds + 5
        continue
      }
      const messages: Record<string, string> = {
        access_denied: 'The login was denied in the browser.',
        expired_token: 'The code expired before it was approved; run `switchyard login` again.',
      }
      throw new CliError(
        messages[answer.body.error ?? ''] ?? `Login failed (${describeOauthError(answer.body)}).`,
        exitCodes.serverError,
        answer.body,
      )
    }
    throw new CliError('The code expired before it was approved; run `switchyard login` again.', exitCodes.serverError)
  }
}

function describeOauthError(body: { error?: string; error_description?: string } | undefined): string {
  return [body?.error, body?.error_description].filter((part) => part != null).join(': ') || 'no details'
}

async function getJson<T>(url: string): Promise<T> {
  const response = await send(url, {})
  if (response.status >= 500) throw new CliError(`The gateway answered ${response.status} at ${url}.`, exitCodes.serverError)
  if (!response.ok) throw new CliError(`The gateway answered ${response.status} at ${url}.`, exitCodes.userError)
  return (await response.json()) as T
}

async function postForm<T>(url: string, fields: Record<string, string>): Promise<{ status: number; body: T }> {
  const response = await send(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(fields).toString(),
  })
  if (response.status >= 500) throw new CliError(`The gateway answered ${response.status} at ${url}.`, exitCodes.serverError)
  const text = await response.text()
  let body: T
  try {
    body = JSON.parse(text) as T
  } catch {
    throw new CliError(`The gateway answered ${response.status} with a body that is not JSON at ${url}.`, exitCodes.serverError)
  }
  return { status: response.status, body }
}

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, init)
  } catch (error) {
    throw new CliError(`Cannot reach the gateway at ${new URL(url).origin}: ${(error as Error).message}`, exitCodes.networkError)
  }
}
