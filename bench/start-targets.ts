import { existsSync } from 'node:fs'
import { join } from 'node:path'
import type { ChildProcesses, StartedChild } from './child-processes.ts'
import { findFreePort } from './find-free-port.ts'

const repositoryRoot = join(import.meta.dir, '..')
const portkeyEntry = join(repositoryRoot, 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js')
const adminToken = 'bench-admin-token-0123456789abcdef'

export type RunningServer = { child: StartedChild; baseUrl: string }
export type RunningGateway = RunningServer & { apiKey: string }

export async function startFastUpstream(children: ChildProcesses): Promise<RunningServer> {
  const port = findFreePort()
  const child = await children.start({
    name: 'fast-upstream',
    command: [process.execPath, join(import.meta.dir, 'fast-upstream.ts'), '--port', String(port)],
    probeUrl: `http://127.0.0.1:${port}/`,
  })
  return { child, baseUrl: `http://127.0.0.1:${port}/v1` }
}

export async function startMinimalProxy(children: ChildProcesses, upstream: RunningServer): Promise<RunningServer> {
  const port = findFreePort()
  const child = await children.start({
    name: 'minimal-proxy',
    command: [process.execPath, join(import.meta.dir, 'minimal-proxy.ts'), '--port', String(port), '--upstream', upstream.baseUrl],
    probeUrl: `http://127.0.0.1:${port}/`,
  })
  return { child, baseUrl: `http://127.0.0.1:${port}/v1` }
}

/**
 * Switchyard as `npm start` runs it (auth on, request log on SQLite), pointed at the fast upstream
 * through OPENAI_BASE_URL, with a fresh database and one API key.
 */
export async function startSwitchyard(options: {
  children: ChildProcesses
  upstream: RunningServer
  workDirectory: string
  name: string
  extraEnv?: Record<string, string>
}): Promise<RunningGateway> {
  const { children, upstream, workDirectory, name } = options
  const port = findFreePort()
  const baseUrl = `http://127.0.0.1:${port}`
  const child = await children.start({
    name,
    command: [
      process.execPath,
      join(repositoryRoot, 'src', 'main.ts'),
      'serve',
      '--host',
      '127.0.0.1',
      '--port',
      String(port),
      '--db',
      `sqlite:${join(workDirectory, `${name}.db`)}`,
    ],
    probeUrl: `${baseUrl}/healthz`,
    // A scratch directory as cwd, so a switchyard.yaml lying in the repository cannot change the setup.
    cwd: workDirectory,
    env: {
      SWITCHYARD_ADMIN_TOKEN: adminToken,
      SWITCHYARD_LOG_LEVEL: 'warn',
      SWITCHYARD_CONFIG: undefined,
      SWITCHYARD_DATABASE_URL: undefined,
      OPENAI_API_KEY: 'anything',
      OPENAI_BASE_URL: upstream.baseUrl,
      // What bin/switchyard.cjs (npm start, npx switchyard) sets: Bun's fetch otherwise caps
      // requests in flight at 256.
      BUN_CONFIG_MAX_HTTP_REQUESTS: '16384',
      // One key carries the whole load: a limit no run reaches, so admission is measured but never refuses.
      SWITCHYARD_RATE_LIMIT_BURST_RPS: '1000000000',
      ...options.extraEnv,
    },
  })
  // Keys belong to users: a bench user with a balance no run can exhaust.
  const adminPost = (path: string, body: unknown) =>
    fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  const userResponse = await adminPost('/api/v1/admin/users', { email: `bench-${Date.now()}@example.com` })
  if (userResponse.status !== 201) throw new Error(`creating the bench user failed: ${userResponse.status} ${await userResponse.text()}`)
  const { id: userId } = (await userResponse.json()) as { id: string }
  const credited = await adminPost('/api/v1/admin/credits', { user_id: userId, amount_usd: 1_000_000, note: 'bench' })
  if (credited.status !== 201) throw new Error(`crediting the bench user failed: ${credited.status} ${await credited.text()}`)
  const response = await adminPost('/api/v1/admin/keys', { name: 'bench', user_id: userId })
  if (response.status !== 201) throw new Error(`creating an API key failed: ${response.status} ${await response.text()}`)
  const { raw } = (await response.json()) as { raw: string }
  return { child, baseUrl: `${baseUrl}/v1`, apiKey: raw }
}

/** Portkey's open-source gateway on Node, from the installed dev dependency; `skipped` says why it cannot run here. */
export async function startPortkey(children: ChildProcesses): Promise<RunningServer | { skipped: string }> {
  if (!existsSync(portkeyEntry)) return { skipped: `not installed (${portkeyEntry} is missing)` }
  if (Bun.which('node') == null) return { skipped: 'node is not on PATH' }
  const port = findFreePort()
  try {
    const child = await children.start({
      name: 'portkey',
      command: ['node', portkeyEntry, `--port=${port}`, '--headless'],
      probeUrl: `http://127.0.0.1:${port}/`,
    })
    return { child, baseUrl: `http://127.0.0.1:${port}/v1` }
  } catch (error) {
    return { skipped: (error as Error).message }
  }
}
