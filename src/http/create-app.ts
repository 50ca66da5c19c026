import { Hono } from 'hono'
import type { Logger } from 'pino'
import type { ApiKeyAuthenticator } from '../accounts/api-key-authenticator.ts'
import type { ApiKeyService } from '../accounts/api-key-service.ts'
import type { AuditRecorder } from '../accounts/audit-recorder.ts'
import { createPlanReserver } from '../accounts/money/create-plan-reserver.ts'
import type { SpendLedger } from '../accounts/money/spend-ledger.ts'
import type { SessionAuthenticator } from '../accounts/session-authenticator.ts'
import type { UsersService } from '../accounts/users-service.ts'
import type { StripeTopups } from '../billing/stripe-topups.ts'
import type { KeyRateLimitsLookup } from '../limits/key-rate-limits.ts'
import type { RateLimiter } from '../limits/rate-limiter.ts'
import type { PipelineDeps } from '../pipeline/pipeline-types.ts'
import { createInterimModelChooser } from '../plan/choose-model.ts'
import type { PlanDeps } from '../plan/handle-plan.ts'
import type { LiveRegistry } from '../registry/live-registry.ts'
import type { Store } from '../store/store.ts'
import { GatewayError, renderErrorBody } from '../errors/gateway-error.ts'
import type { AppEnv } from './app-env.ts'
import { createRequestId } from './create-request-id.ts'
import { createAdmission } from './data-plane/admit-request.ts'
import { dataPlaneEndpoints } from './data-plane/data-plane-endpoints.ts'
import { serveDataPlaneEndpoint } from './data-plane/serve-data-plane-request.ts'
import { adminAuth } from './middleware/admin-auth.ts'
import { bodyLimit } from './middleware/body-limit.ts'
import { type AgentSurfaceDeps, mountAgentRoutes } from './mount-agent-routes.ts'
import { createFailureRenderer } from './render-failure.ts'
import type { TopupUserResolver } from './resolve-topup-user.ts'
import { accountRoutes } from './routes/account-routes.ts'
import { adminHealthRoutes } from './routes/admin-health-routes.ts'
import { adminKeysRoutes } from './routes/admin-keys-routes.ts'
import { adminRegistryRoutes } from './routes/admin-registry-routes.ts'
import { adminRequestsRoutes } from './routes/admin-requests-routes.ts'
import { adminUsersRoutes } from './routes/admin-users-routes.ts'
import { billingRoutes } from './routes/billing-routes.ts'
import { healthRoutes } from './routes/health-routes.ts'
import { modelsRoutes } from './routes/models-routes.ts'
import { routingRoutes } from './routes/routing-routes.ts'
import { signupRoutes } from './routes/signup-routes.ts'

export type AppDeps = {
  pipeline: PipelineDeps
  store: Store
  authenticator: ApiKeyAuthenticator
  apiKeys: ApiKeyService
  /** Users, money and audit (the accounts module). */
  accounts: {
    users: UsersService
    ledger: SpendLedger
    audit: AuditRecorder
    /** Seam 3: session tokens for the management API; absent = only `manage` keys. */
    sessions?: SessionAuthenticator
    openSignup: boolean
  }
  adminTokenDigest: string
  bodyLimitBytes: number
  logger: Logger
  startedAt: number
  /** Default repair rounds for `output_format`; 2 when not given. */
  outputMaxRepairs?: number
  /** /v1/plan's model choice and reservation hooks; the interim catalogue chooser when absent. */
  plan?: Partial<Omit<PlanDeps, 'pipeline'>>
  /** Per-key rate limits: the backend, and where each key's limits come from. */
  rateLimits: { limiter: RateLimiter; limitsFor: KeyRateLimitsLookup }
  /** PING to Redis, when it is configured: `/readyz` answers 503 while it fails. */
  pingRedis?: () => Promise<unknown>
  /** Stripe top-ups (undefined when Stripe is not configured) and who pays for one. */
  billing: { topups: StripeTopups | undefined; resolveTopupUser: TopupUserResolver; bounds: { minUsd: number; maxUsd: number } }
  agent: AgentSurfaceDeps
  /** The model/provider registry the admin API edits; absent = read-only config. */
  registry?: LiveRegistry
}

/** Bun's per-path routes: the data-plane endpoints, served without going through Hono. */
export type DataPlaneRoutes = Record<string, { POST: (request: Request) => Promise<Response> }>

/**
 * The HTTP application: every part it uses is passed in; this is where routes meet. The data
 * plane is served by its own front (http/data-plane/), which Bun's router calls directly; Hono
 * serves everything else, and the data plane too for in-process callers.
 */
export function createApp(deps: AppDeps): { app: Hono<AppEnv>; dataPlaneRoutes: DataPlaneRoutes } {
  const app = new Hono<AppEnv>()
  const { pipeline } = deps
  const renderFailure = createFailureRenderer({ requestLog: pipeline.requestLog, logger: deps.logger, now: pipeline.now })

  const plan: PlanDeps = {
    pipeline,
    chooseModel: deps.plan?.chooseModel ?? createInterimModelChooser(pipeline.catalog),
    // The plan's whole worst case is held in the accounts ledger before its first step.
    reserve: deps.plan?.reserve ?? createPlanReserver({ ledger: deps.accounts.ledger, now: Date.now }),
  }
  const front = {
    authenticator: deps.authenticator,
    // Wall-clock time for the limiter: replicas must agree on window edges.
    admission: createAdmission({ ...deps.rateLimits, now: Date.now, logger: deps.logger }),
    bodyLimitBytes: deps.bodyLimitBytes,
    now: pipeline.now,
    renderFailure,
  }
  const dataPlaneRoutes: DataPlaneRoutes = {}
  for (const endpoint of dataPlaneEndpoints({ pipeline, plan, outputMaxRepairs: deps.outputMaxRepairs ?? 2 })) {
    const serve = serveDataPlaneEndpoint(endpoint, front)
    dataPlaneRoutes[endpoint.path] = { POST: serve }
    // Registered before the middleware below, so Hono hands these requests straight to the front.
    app.post(endpoint.path, (c) => serve(c.req.raw))
  }

  // Our own id, always: a client-supplied X-Request-Id is never trusted, because the id keys the
  // request log and reusing one would let a client hide a request's usage.
  app.use(async function assignRequestId(c, next) {
    const startedAt = pipeline.now()
    const id = createRequestId(startedAt)
    c.set('requestId', id)
    c.set('startedAt', startedAt)
    c.header('x-request-id', id)
    await next()
  })
  app.use(bodyLimit({ maxBytes: deps.bodyLimitBytes }))

  app.route(
    '/',
    healthRoutes({
      store: deps.store,
      ...(deps.pingRedis == null ? {} : { pingRedis: deps.pingRedis }),
      ...(pipeline.health == null ? {} : { health: pipeline.health, now: pipeline.now }),
    }),
  )
  if (pipeline.router != null) {
    const routing = routingRoutes({ router: pipeline.router, store: deps.store, authenticator: deps.authenticator })
    app.route('/v1', routing.feedback)
    app.route('/api/v1', routing.preview)
  }
  app.route('/v1', modelsRoutes({ catalog: pipeline.catalog, createdAt: deps.startedAt, authenticator: deps.authenticator }))
  app.route('/api/v1', billingRoutes(deps.billing))
  app.use('/api/v1/admin/*', adminAuth({ adminTokenDigest: deps.adminTokenDigest }))
  const { accounts } = deps
  app.route('/api/v1/admin', adminKeysRoutes({ apiKeys: deps.apiKeys, users: accounts.users, now: pipeline.now }))
  app.route('/api/v1/admin', adminRequestsRoutes({ store: deps.store }))
  if (pipeline.health != null) app.route('/api/v1/admin', adminHealthRoutes({ health: pipeline.health, now: pipeline.now }))
  if (deps.registry != null) app.route('/api/v1/admin', adminRegistryRoutes({ registry: deps.registry, audit: accounts.audit }))
  mountAgentRoutes(app, { ...deps.agent, apiKeys: deps.authenticator, catalog: pipeline.catalog, createdAt: deps.startedAt })
  app.route('/api/v1/admin', adminUsersRoutes({ store: deps.store, users: accounts.users, ledger: accounts.ledger, audit: accounts.audit }))
  app.route(
    '/api/v1',
    accountRoutes({
      store: deps.store,
      authenticator: deps.authenticator,
      sessions: accounts.sessions,
      apiKeys: deps.apiKeys,
      users: accounts.users,
      ledger: accounts.ledger,
      now: pipeline.now,
    }),
  )
  app.route('/api/v1', signupRoutes({ users: accounts.users, openSignup: accounts.openSignup }))

  app.notFound((c) => {
    const error = new GatewayError('not_found', `No route for ${c.req.method} ${c.req.path}.`)
    return c.json(renderErrorBody(error), 404)
  })

  app.onError((thrown, c) => {
    const failure = renderFailure(thrown, {
      requestId: c.get('requestId'),
      keyId: c.get('apiKey')?.id ?? null,
      path: c.req.path,
      startedAt: c.get('startedAt') ?? pipeline.now(),
      signal: c.req.raw.signal,
    })
    return c.body(failure.body, failure.status as 400, failure.headers)
  })

  return { app, dataPlaneRoutes }
}
