import pino, { type Logger } from 'pino'
import { ensureAdminToken } from './accounts/admin-token.ts'
import { createApiKeyAuthenticator } from './accounts/api-key-authenticator.ts'
import { createApiKeyService } from './accounts/api-key-service.ts'
import type { Config } from './config/config-types.ts'
import { createApp } from './http/create-app.ts'
import { createFetchUpstream } from './pipeline/create-fetch-upstream.ts'
import type { FetchUpstream } from './pipeline/pipeline-types.ts'
import { createExplanationRecorder } from './pipeline/record-explanations.ts'
import { createChatRouter } from './pipeline/route-chat-request.ts'
import { startBanditSync } from './pipeline/sync-bandit-state.ts'
import { createLiveRegistry } from './registry/live-registry.ts'
import { loadRouterModel } from './routing/classifier/load-router-model.ts'
import routerModelJson from './routing/classifier/router-model.json'
import type { HealthView } from './routing/health-view.ts'
import { createBanditMemory } from './routing/thompson-bandit.ts'
import { createBatchedRequestLog } from './store/batched-request-log.ts'
import { openStore } from './store/open-store.ts'

export type RunningGateway = {
  url: string
  port: number
  /** Stops accepting connections, lets open requests finish, flushes the request log, closes the store. */
  stop(): Promise<void>
}

/** The composition root: config → store → providers → app → server. */
export async function startGateway(
  config: Config,
  options: { logger?: Logger; fetchUpstream?: FetchUpstream; announce?: (line: string) => void; health?: HealthView } = {},
): Promise<RunningGateway> {
  const logger = options.logger ?? pino({ level: config.logLevel, base: undefined })
  const announce = options.announce ?? ((line: string) => process.stdout.write(`${line}\n`))
  const store = await openStore(config.databaseUrl)
  const admin = await ensureAdminToken({ store, configuredToken: config.adminToken })
  const requestLog = createBatchedRequestLog({
    store,
    onError: (error) => logger.error({ err: error }, 'request log write failed; will retry'),
  })
  const authenticator = createApiKeyAuthenticator({ store })
  const startedAt = Date.now()
  const now = () => performance.timeOrigin + performance.now()
  // Models and providers: config plus the admin API's entries, swapped in live on every change.
  const registry = await createLiveRegistry({
    config,
    store: store.routing.registry,
    pollMs: config.routing.banditSyncMs,
    now,
    onError: (error) => logger.error({ err: error }, 'registry entry skipped or reload failed'),
  })
  const { catalog } = registry
  const bandit = createBanditMemory()
  const banditSync = await startBanditSync({
    memory: bandit,
    store: store.routing.bandit,
    intervalMs: config.routing.banditSyncMs,
    now,
    onError: (error) => logger.error({ err: error }, 'bandit state merge failed; will retry'),
  })
  const explanations = createExplanationRecorder({
    store: store.routing.explanations,
    now,
    onError: (error) => logger.error({ err: error }, 'routing explanation write failed'),
  })
  const router = createChatRouter({
    catalog,
    registry: registry.modelRegistry,
    classifier: loadRouterModel(routerModelJson),
    tiers: config.routing.tiers,
    defaults: config.routing.defaults,
    autoPolicyDefault: config.routing.autoPolicy,
    // Resilience's HealthView plugs in here (seam 5); without it every deployment counts as healthy.
    ...(options.health == null ? {} : { health: options.health }),
    bandit,
    random: Math.random,
    now,
    maxCandidates: config.routing.maxCandidates,
    deployments: registry.deployments,
  })
  const app = createApp({
    pipeline: {
      catalog,
      providers: registry.providers,
      fetchUpstream: options.fetchUpstream ?? createFetchUpstream(),
      requestLog,
      upstreamTimeoutMs: config.upstreamTimeoutMs,
      now,
      router,
      explanations,
    },
    store,
    authenticator,
    apiKeys: createApiKeyService({ store, authenticator }),
    adminTokenDigest: admin.digest,
    bodyLimitBytes: config.bodyLimitBytes,
    logger,
    startedAt,
    registry,
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
    async stop() {
      await server.stop(false)
      await requestLog.close()
      await explanations.close()
      await banditSync.stop()
      registry.stop()
      await store.close()
    },
  }
}
