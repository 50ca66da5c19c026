import pino, { type Logger } from 'pino'
import { version as packageVersion } from '../package.json'
import { ensureAdminToken } from './accounts/admin-token.ts'
import { createApiKeyAuthenticator } from './accounts/api-key-authenticator.ts'
import { createApiKeyService } from './accounts/api-key-service.ts'
import type { CredentialVerifier } from './auth/auth-seams.ts'
import { createDeviceFlowService } from './auth/device-flow-service.ts'
import { createEntryGuard } from './auth/entry-guard.ts'
import { createSessionService } from './auth/session-service.ts'
import { buildCatalog } from './catalog/build-catalog.ts'
import type { Config } from './config/config-types.ts'
import { createApp } from './http/create-app.ts'
import { mcpRoutes } from './mcp/mcp-routes.ts'
import { createFetchUpstream } from './pipeline/create-fetch-upstream.ts'
import type { FetchUpstream } from './pipeline/pipeline-types.ts'
import { createProviderRegistry } from './providers/provider-registry.ts'
import { createBatchedRequestLog } from './store/batched-request-log.ts'
import { openStore } from './store/open-store.ts'

export type RunningGateway = {
  url: string
  port: number
  /** Every route the HTTP app registers (method, Hono path), for the OpenAPI coverage test. */
  routes: ReadonlyArray<{ method: string; path: string }>
  /** Stops accepting connections, lets open requests finish, flushes the request log, closes the store. */
  stop(): Promise<void>
}

/** The composition root: config → store → providers → app → server. */
export async function startGateway(
  config: Config,
  options: {
    logger?: Logger
    fetchUpstream?: FetchUpstream
    announce?: (line: string) => void
    /** Accounts' password check for the /device page (seam 4); without it device login cannot be approved. */
    verifyCredentials?: CredentialVerifier
    /** The clock of device codes and sessions; tests move it. */
    now?: () => number
  } = {},
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
  const authenticator = createApiKeyAuthenticator({ store })
  const startedAt = Date.now()
  const clock = options.now ?? Date.now
  // Device-flow sessions. Accounts' management API takes `sessions.authenticator` (seam 3) at merge.
  const sessions = createSessionService({ store, now: clock })
  const app = createApp({
    pipeline: {
      catalog,
      providers: createProviderRegistry(config.providers),
      fetchUpstream: options.fetchUpstream ?? createFetchUpstream(),
      requestLog,
      upstreamTimeoutMs: config.upstreamTimeoutMs,
      now: () => performance.timeOrigin + performance.now(),
    },
    store,
    authenticator,
    apiKeys: createApiKeyService({ store, authenticator }),
    adminTokenDigest: admin.digest,
    bodyLimitBytes: config.bodyLimitBytes,
    logger,
    startedAt,
    agent: {
      deviceFlow: createDeviceFlowService({ now: clock }),
      sessions,
      entryGuard: createEntryGuard({ now: clock }),
      verifyCredentials: options.verifyCredentials,
      publicUrl: config.agent.publicUrl,
      externalOidc: config.agent.externalOidc,
      version: packageVersion,
    },
  })
  // The MCP surface calls the app's own HTTP API in process, so it is mounted here, beside the app.
  app.route('/', mcpRoutes({ fetchApp: (request) => app.fetch(request), publicUrl: config.agent.publicUrl, version: packageVersion }))
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
    routes: app.routes.map((route) => ({ method: route.method, path: route.path })),
    async stop() {
      await server.stop(false)
      await requestLog.close()
      await store.close()
    },
  }
}
