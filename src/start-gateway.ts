import pino, { type Logger } from 'pino'
import { version as packageVersion } from '../package.json'
import { ensureAdminToken } from './accounts/admin-token.ts'
import { type Accounts, createAccounts } from './accounts/create-accounts.ts'
import { createPlanReserver } from './accounts/money/create-plan-reserver.ts'
import type { SessionAuthenticator } from './accounts/session-authenticator.ts'
import { createDeviceFlowService } from './auth/device-flow-service.ts'
import { createEntryGuard } from './auth/entry-guard.ts'
import { createOidcSessionAuthenticator } from './auth/oidc-session-authenticator.ts'
import { createRedisEntryGuard } from './auth/redis-entry-guard.ts'
import { createSessionService } from './auth/session-service.ts'
import { createStripeClient } from './billing/create-stripe-client.ts'
import { createStripeTopups } from './billing/stripe-topups.ts'
import type { Config } from './config/config-types.ts'
import { type AppDeps, createApp } from './http/create-app.ts'
import { accountAuth } from './http/middleware/account-auth.ts'
import { resolveTopupUserByAccount } from './http/resolve-topup-user.ts'
import type { KeyRateLimitsLookup } from './limits/key-rate-limits.ts'
import { createMemoryRateLimiter } from './limits/memory-rate-limiter.ts'
import { createRedisRateLimiter } from './limits/redis-rate-limiter.ts'
import { mcpRoutes } from './mcp/mcp-routes.ts'
import { createFetchUpstream } from './pipeline/create-fetch-upstream.ts'
import type { FetchUpstream } from './pipeline/pipeline-types.ts'
import { createDeploymentProbe } from './pipeline/probe-deployment.ts'
import { createExplanationRecorder } from './pipeline/record-explanations.ts'
import { createChatRouter } from './pipeline/route-chat-request.ts'
import { startBanditSync } from './pipeline/sync-bandit-state.ts'
import { createRoutedModelChooser } from './plan/create-routed-model-chooser.ts'
import { openRedisClient } from './redis/open-redis-client.ts'
import { pingRedis } from './redis/ping-redis.ts'
import { createRedisScriptRunner } from './redis/redis-script-runner.ts'
import { createLiveRegistry } from './registry/live-registry.ts'
import { resealRegistry, sealRegistryStore } from './registry/sealed-registry-store.ts'
import { loadRouterModel } from './routing/classifier/load-router-model.ts'
import routerModelJson from './routing/classifier/router-model.json'
import { startActiveProbes } from './routing/health/active-prober.ts'
import { HealthTracker } from './routing/health/health-tracker.ts'
import type { HealthView } from './routing/health-view.ts'
import { createBanditMemory } from './routing/thompson-bandit.ts'
import { resolveSecretBox } from './secrets/resolve-secret-box.ts'
import { createBatchedRequestLog } from './store/batched-request-log.ts'
import { openStore } from './store/open-store.ts'

export type RunningGateway = {
  url: string
  port: number
  /** Every route the HTTP app registers (method, Hono path), for the OpenAPI coverage test. */
  routes: ReadonlyArray<{ method: string; path: string }>
  /** What the server does with a request, in process: the data-plane routes first, then the app. */
  handle(request: Request): Promise<Response>
  /** Users, keys and money: `accounts.credit` (seam 2) and `accounts.verifyCredentials` (seam 4). */
  accounts: Accounts
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
    plan?: AppDeps['plan']
    /** The clock of device codes and sessions; tests move it. */
    now?: () => number
    /** What routing sees of deployment health, instead of the live tracker (tests set it by hand). */
    health?: HealthView
    /** Session tokens the management API accepts instead of device-flow sessions (seam 3). */
    sessions?: SessionAuthenticator
  } = {},
): Promise<RunningGateway> {
  const logger = options.logger ?? pino({ level: config.logLevel, base: undefined })
  const announce = options.announce ?? ((line: string) => process.stdout.write(`${line}\n`))
  const store = await openStore(config.databaseUrl)
  // Redis, when configured, holds what every replica must count together: rate limits and the
  // /device abuse limits. One connection serves both; the limiter closes it at stop. It is opened
  // before anything else uses Redis (key revocations subscribe in createAccounts), so a Redis that
  // is not there fails start-up at once with its URL instead of hanging in a retry loop.
  const redis =
    config.redisUrl == null
      ? undefined
      : await openRedisClient(config.redisUrl).catch(async (error: unknown) => {
          await store.close()
          throw error
        })
  const admin = await ensureAdminToken({ store, configuredToken: config.adminToken })
  const requestLog = createBatchedRequestLog({
    store,
    onError: (error) => logger.error({ err: error }, 'request log write failed; will retry'),
  })
  // Device-flow sessions (seam 3): the management API accepts their tokens.
  const clock = options.now ?? Date.now
  const sessions = createSessionService({ store, now: clock })
  const accounts = await createAccounts({ store, config, logger })
  // With an external OIDC issuer configured, its access tokens are accepted beside our own sessions.
  const { externalOidc } = config.agent
  const sessionAuthenticator =
    options.sessions ??
    (externalOidc == null
      ? sessions.authenticator
      : createOidcSessionAuthenticator({
          issuer: externalOidc.issuer,
          audience: externalOidc.audience,
          jwksUri: externalOidc.jwksUri,
          findUserByEmail: (email) => store.users.findByEmail(email),
          fallback: sessions.authenticator,
        }))
  const { authenticator } = accounts
  const limiter = redis == null ? createMemoryRateLimiter() : createRedisRateLimiter({ client: redis, keyPrefix: config.redisKeyPrefix })
  // Seam 1: each key's own limits (defaults for new keys come from SWITCHYARD_RATE_LIMIT_*).
  const limitsFor: KeyRateLimitsLookup = accounts.rateLimitsOf
  const startedAt = Date.now()
  // Read once: timeOrigin is a native getter, and the clock is read several times per request.
  const timeOrigin = performance.timeOrigin
  const now = () => timeOrigin + performance.now()
  const health = new HealthTracker(config.reliability.health, now)
  // Models and providers: config plus the admin API's entries, swapped in live on every change.
  // Provider credentials from the admin API are sealed at rest; rows from before that, or sealed
  // with the previous key, are sealed again with the current one.
  const secretBox = resolveSecretBox(config)
  const resealed = await resealRegistry(store.routing.registry, secretBox)
  if (resealed > 0) logger.info({ providers: resealed }, 'sealed stored provider credentials with the current secret key')
  const registry = await createLiveRegistry({
    config,
    store: sealRegistryStore(store.routing.registry, secretBox, (error) => logger.error({ err: error }, 'registry entry skipped')),
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
    // Deployment health (circuit breakers, latency) feeds the scores (seam 5).
    health: options.health ?? health,
    bandit,
    random: Math.random,
    now,
    maxCandidates: config.routing.maxCandidates,
    deployments: registry.deployments,
  })
  const pipeline = {
    catalog,
    providers: registry.providers,
    fetchUpstream: options.fetchUpstream ?? createFetchUpstream(),
    requestLog,
    upstreamTimeoutMs: config.upstreamTimeoutMs,
    now,
    health,
    retry: config.reliability.retry,
    router,
    explanations,
    spend: accounts.spendGate,
  }
  const { activeProbeIntervalMs } = config.reliability.health
  const activeProbes =
    activeProbeIntervalMs == null
      ? undefined
      : startActiveProbes({
          health,
          intervalMs: activeProbeIntervalMs,
          now,
          probe: createDeploymentProbe(pipeline),
          onError: (error) => logger.warn({ err: error }, 'active probe failed'),
        })
  const stripeConfig = config.stripe
  let topups: ReturnType<typeof createStripeTopups> | undefined
  if (stripeConfig != null) {
    topups = createStripeTopups({
      stripe: createStripeClient(stripeConfig),
      webhookSecret: stripeConfig.webhookSecret,
      credit: accounts.credit,
      audit: accounts.audit,
      successUrl: stripeConfig.successUrl,
      cancelUrl: stripeConfig.cancelUrl,
      logger,
    })
  }
  const { app, dataPlaneRoutes } = createApp({
    pipeline,
    store,
    authenticator,
    apiKeys: accounts.apiKeys,
    accounts: {
      users: accounts.users,
      ledger: accounts.ledger,
      audit: accounts.audit,
      sessions: sessionAuthenticator,
      openSignup: config.openSignup,
    },
    adminTokenDigest: admin.digest,
    bodyLimitBytes: config.bodyLimitBytes,
    logger,
    startedAt,
    outputMaxRepairs: config.outputMaxRepairs,
    // /v1/plan's steps are routed by the routing engine (policy per role, weights, min_weight).
    plan: {
      chooseModel: createRoutedModelChooser({ catalog, registry: registry.modelRegistry, health: options.health ?? health, now }),
      reserve: createPlanReserver({ ledger: accounts.ledger, now: Date.now, unpricedCeilingMicros: config.unpricedModelCeilingMicros }),
      ...options.plan,
    },
    rateLimits: { limiter, limitsFor },
    ...(redis == null ? {} : { pingRedis: () => pingRedis(redis) }),
    billing: {
      topups,
      resolveTopupUser: resolveTopupUserByAccount(accountAuth({ authenticator, sessions: sessionAuthenticator })),
      bounds: { minUsd: stripeConfig?.minTopupUsd ?? 1, maxUsd: stripeConfig?.maxTopupUsd ?? 10_000 },
    },
    agent: {
      deviceFlow: createDeviceFlowService({ store: store.deviceAuthorizations, now: clock }),
      sessions,
      entryGuard:
        redis == null
          ? createEntryGuard({ now: clock })
          : createRedisEntryGuard({ runScript: createRedisScriptRunner(redis), keyPrefix: config.redisKeyPrefix }),
      verifyCredentials: accounts.verifyCredentials,
      publicUrl: config.agent.publicUrl,
      externalOidc: config.agent.externalOidc,
      version: packageVersion,
    },
    registry,
  })
  // The MCP surface calls the app's own HTTP API in process, so it is mounted here, beside the app.
  app.route('/', mcpRoutes({ fetchApp: (request) => app.fetch(request), publicUrl: config.agent.publicUrl, version: packageVersion }))
  const server = Bun.serve({
    port: config.port,
    hostname: config.host,
    // The data plane goes straight from Bun's router to its front; everything else through Hono.
    routes: dataPlaneRoutes,
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
    async handle(request) {
      const dataPlane = request.method === 'POST' ? dataPlaneRoutes[new URL(request.url).pathname] : undefined
      return dataPlane == null ? app.fetch(request) : dataPlane.POST(request)
    },
    accounts,
    async stop() {
      activeProbes?.stop()
      await server.stop(false)
      await accounts.close()
      await requestLog.close()
      await limiter.close()
      await explanations.close()
      await banditSync.stop()
      registry.stop()
      await store.close()
    },
  }
}
