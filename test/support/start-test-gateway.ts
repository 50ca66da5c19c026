import type { Logger } from 'pino'
import type { SessionAuthenticator } from '../../src/accounts/session-authenticator.ts'
import { loadConfig } from '../../src/config/load-config.ts'
import type { AppDeps } from '../../src/http/create-app.ts'
import type { HealthView } from '../../src/routing/health-view.ts'
import { type RunningGateway, startGateway } from '../../src/start-gateway.ts'

export type TestGateway = RunningGateway & {
  baseUrl: string
  adminToken: string
  /** A key for the test gateway's default user, who has a generous balance ($1,000,000). */
  createKey(options?: {
    scopes?: string[]
    name?: string
    userId?: string
    extra?: Record<string, unknown>
  }): Promise<{ id: string; raw: string }>
  /** Creates a user and credits it (USD); returns its id. */
  createUser(options?: { email?: string; password?: string; balanceUsd?: number }): Promise<{ id: string; email: string }>
  defaultUserId: string
  defaultUserEmail: string
  admin<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>
  /** Polls the admin API until the request-log row for `requestId` is written. */
  waitForLogRow(requestId: string, timeoutMs?: number): Promise<LoggedRequest>
}

export type LoggedRequest = {
  id: string
  key_id: string | null
  model: string | null
  provider: string | null
  status: number
  error_code: string | null
  stream: boolean
  usage: { input_tokens: number; output_tokens: number; cached_input_tokens: number; reasoning_tokens: number }
  cost_micros: number
  latency_ms: number
  ttft_ms: number | null
}

/** The real gateway on a free loopback port, with an in-memory SQLite store unless told otherwise. */
export async function startTestGateway(
  options: {
    env?: Record<string, string>
    configFile?: string
    db?: string
    logger?: Logger
    plan?: AppDeps['plan']
    now?: () => number
    sessions?: SessionAuthenticator
    health?: HealthView
  } = {},
): Promise<TestGateway> {
  const adminToken = `sy-admin-test-${crypto.randomUUID()}`
  const config = loadConfig({
    env: {
      SWITCHYARD_ADMIN_TOKEN: adminToken,
      SWITCHYARD_LOG_LEVEL: 'silent',
      // Tests fire many requests from one key: the default burst limit (10/s) is lifted unless a
      // test sets its own; the limiter still runs on every request.
      SWITCHYARD_RATE_LIMIT_BURST_RPS: '1000000',
      // The fake provider's fault-injection models (`fail-500`, `slow-200`...) are unlisted, hence
      // unpriced: hold $1 for each such request (the default test user has $1M).
      SWITCHYARD_UNPRICED_MODEL_CEILING_USD: '1',
      ...options.env,
    },
    flags: {
      port: 0,
      host: '127.0.0.1',
      db: options.db ?? 'sqlite::memory:',
      ...(options.configFile == null ? {} : { config: options.configFile }),
    },
  })
  const gateway = await startGateway(config, {
    announce: () => {},
    ...(options.logger == null ? {} : { logger: options.logger }),
    ...(options.plan == null ? {} : { plan: options.plan }),
    ...(options.now == null ? {} : { now: options.now }),
    ...(options.sessions == null ? {} : { sessions: options.sessions }),
    ...(options.health == null ? {} : { health: options.health }),
  })
  const admin = async <T>(method: string, path: string, body?: unknown) => {
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: response.status, body: (await response.json()) as T }
  }
  const createUser = async (userOptions: { email?: string; password?: string; balanceUsd?: number } = {}) => {
    const email = userOptions.email ?? `user-${crypto.randomUUID()}@example.com`
    const created = await admin<{ id: string; email: string }>('POST', '/api/v1/admin/users', {
      email,
      ...(userOptions.password == null ? {} : { password: userOptions.password }),
    })
    if (created.status !== 201) throw new Error(`user creation failed: ${JSON.stringify(created.body)}`)
    const balanceUsd = userOptions.balanceUsd ?? 0
    if (balanceUsd > 0) {
      const credited = await admin('POST', '/api/v1/admin/credits', {
        user_id: created.body.id,
        amount_usd: balanceUsd,
        note: 'test setup',
      })
      if (credited.status !== 201) throw new Error(`credit failed: ${JSON.stringify(credited.body)}`)
    }
    return created.body
  }
  const defaultUser = await createUser({ email: `test-owner-${crypto.randomUUID()}@example.com`, balanceUsd: 1_000_000 })
  return {
    ...gateway,
    baseUrl: `${gateway.url}/v1`,
    adminToken,
    admin,
    createUser,
    defaultUserId: defaultUser.id,
    defaultUserEmail: defaultUser.email,
    async createKey(keyOptions = {}) {
      const created = await admin<{ id: string; raw: string }>('POST', '/api/v1/admin/keys', {
        name: keyOptions.name ?? 'test',
        user_id: keyOptions.userId ?? defaultUser.id,
        ...(keyOptions.scopes == null ? {} : { scopes: keyOptions.scopes }),
        ...keyOptions.extra,
      })
      if (created.status !== 201) throw new Error(`key creation failed: ${JSON.stringify(created.body)}`)
      return created.body
    },
    async waitForLogRow(requestId, timeoutMs = 3000) {
      const deadline = Date.now() + timeoutMs
      while (Date.now() < deadline) {
        const found = await admin<LoggedRequest>('GET', `/api/v1/admin/requests/${requestId}`)
        if (found.status === 200) return found.body
        await Bun.sleep(25)
      }
      throw new Error(`no request-log row for ${requestId} within ${timeoutMs} ms`)
    },
  }
}
