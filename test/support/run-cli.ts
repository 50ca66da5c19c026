import { expect } from 'bun:test'
import { join } from 'node:path'
import { createDeviceBrowser } from './device-browser.ts'

// The real `switchyard` binary (bin/switchyard.cjs, the one `npx switchyard` runs) as a subprocess,
// with only the environment a test gives it (HOME pointed at a fresh directory, the gateway URL...).

export const cliBinary = join(import.meta.dir, '..', '..', 'bin', 'switchyard.cjs')

/** `stdin` is piped in whole (e.g. a password for `--password-stdin`); without it stdin is closed. */
export type CliRunOptions = { cwd?: string; stdin?: string }

export function spawnCli(args: string[], env: Record<string, string> = {}, options: CliRunOptions = {}) {
  return Bun.spawn(['node', cliBinary, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdin: options.stdin == null ? 'ignore' : new Blob([options.stdin]),
    stdout: 'pipe',
    stderr: 'pipe',
    ...(options.cwd == null ? {} : { cwd: options.cwd }),
  })
}

export async function runCli(args: string[], env: Record<string, string> = {}, options: CliRunOptions = {}) {
  const child = spawnCli(args, env, options)
  const [stdout, stderr, exitCode] = await Promise.all([new Response(child.stdout).text(), new Response(child.stderr).text(), child.exited])
  return { stdout, stderr, exitCode }
}

/**
 * Runs `switchyard login --json` and plays the human: reads the URL and code the CLI prints, opens
 * the /device page in a scripted browser, signs in with `user` and presses Approve or Deny.
 */
export async function loginThroughBrowser(
  env: Record<string, string>,
  user: { email: string; password: string },
  action: 'approve' | 'deny',
) {
  const child = spawnCli(['login', '--json'], env)
  const reader = child.stderr.getReader()
  let printed = ''
  while (!/enter code: \S+/.test(printed)) {
    const { done, value } = await reader.read()
    if (done) break
    printed += new TextDecoder().decode(value)
  }
  const userCode = /enter code: (\S+)/.exec(printed)?.[1] ?? ''
  const verificationUri = /Visit: (\S+)/.exec(printed)?.[1] ?? ''
  const browser = createDeviceBrowser(new URL(verificationUri).origin)
  const page = await browser.open(userCode)
  expect(page.html).toContain('switchyard CLI on')
  await browser.answer(userCode, user.email, user.password, action)
  const readRest = async () => {
    let rest = ''
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += new TextDecoder().decode(chunk.value)
    return rest
  }
  const [stdout, rest, exitCode] = await Promise.all([new Response(child.stdout).text(), readRest(), child.exited])
  return { stdout, stderr: printed + rest, exitCode, userCode }
}

/** What `switchyard admin …` needs to reach a test gateway as its operator (HOME is the developer's, as admin commands keep no state). */
export function adminCliEnv(gateway: { url: string; adminToken: string }): Record<string, string> {
  return { HOME: process.env.HOME ?? '/tmp', SWITCHYARD_API_URL: gateway.url, SWITCHYARD_ADMIN_TOKEN: gateway.adminToken }
}
