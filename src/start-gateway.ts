import pino, { type Logger } from 'pino'
import { ensureAdminToken } from './accounts/admin-token.ts'
import { type Accounts, createAccounts } from './accounts/create-accounts.ts'
import type { SessionAuthenticator } from './accounts/session-authenticator.ts'
import { buildCatalog } from './catalog/build-catalog.ts'
import type { Config } from './config/config-types.ts'
import { createApp } from './http/create-app.ts'
import { createFetchUpstream } from './pipeline/create-fetch-upstream.ts'
import type { FetchUpstream } from './pipeline/pipeline-types.ts'
import { createProviderRegistry } from './providers/provider-registry.ts'
import { createBatchedRequestLog } from './store/batched-request-log.ts'
import { openStore } from './store/open-store.ts'

export type RunningGateway = {
  url: string
  port: number
  /** Users, keys and money: `accounts.credit` (seam 2) and `accounts.verifyCredentials` (seam 4) plug in here. */
  accounts: Accounts
  /** Stops accepting connections, lets open requests finish, flushes the request log, closes the store. */
  stop(): Promise<void>
}

/** The composition root: config → store → providers → app → server. */
export async function startGateway(
  config: Config,
  options: { logger?: Logger; fetchUpstream?: FetchUpstream; announce?: (line: string) => void; sessions?: SessionAuthenticator } = {},
): Promise<RunningGateway> {
  const logger = options.logger ?? pino({ level: config.logLevel, base: undefined })
  const announce = options.announce ?? ((line: string) => process.stdout.write(`${line}\n`))
  const store = await openStore(config.databaseUrl)
  const admin = await ensureAdminToken({ store, configuredToken: config.adminToken })
  const catalog = buildCatalog({ providers: config.providers, models: config.models, aliases: config.aliases })
  const requestLog = createBatchedRequestLog({
    store,
    onError: (error) => logger.error({ err: error }, 'request log write failed; will retry'),
  })
  const accounts = await createAccounts({ store, config, logger })
  const { authenticator } = accounts
  const startedAt = Date.now()
  const app = createApp({
    pipeline: {
      catalog,
      providers: createProviderRegistry(config.providers),
      fetchUpstream: options.fetchUpstream ?? createFetchUpstream(),
      requestLog,
      upstreamTimeoutMs: config.upstreamTimeoutMs,
      now: () => performance.timeOrigin + performance.now(),
      spend: accounts.spendGate,
    },
    store,
    authenticator,
    apiKeys: accounts.apiKeys,
    accounts: {
      users: accounts.users,
      ledger: accounts.ledger,
      audit: accounts.audit,
      ...(options.sessions == null ? {} : { sessions: options.sessions }),
      openSignup: config.openSignup,
    },
    adminTokenDigest: admin.digest,
    bodyLimitBytes: config.bodyLimitBytes,
    logger,
    startedAt,
  })
  const server = Bun.serve({
    port: config.port,
    hostname: config.host,
    fetch: app.fetch,
    // Streams from reasoning models can be quiet for a long time; 255 s is Bun's maximum.
    idleTimeout: 255,
    // A backstop only: the app's body limit answers first, with a proper 413 envelope.
    maxRequestBodySize: config.bodyLimitBytes * 2 + 1024 * 1024,
  })
  const port = server.port ?? config.port
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host
  const url = `http://${shownHost}:${port}`
  announce(`Switchyard listening on ${url} (OpenAI-compatible base URL: ${url}/v1)`)
  announce(
    `Providers: ${config.providers.map((provider) => provider.id).join(', ')}; ${catalog.models.length} models; database: ${store.dialect}`,
  )
  if (admin.generatedToken != null) {
    announce(`Admin token (shown once; store it now, or set SWITCHYARD_ADMIN_TOKEN): ${admin.generatedToken}`)
  }
  return {
    url,
    port,
    accounts,
    async stop() {
      await server.stop(false)
      await accounts.close()
      await requestLog.close()
      await store.close()
    },
  }
}
