import type { Hono } from 'hono'
import type { ApiKeyAuthenticator } from '../accounts/api-key-authenticator.ts'
import type { CredentialVerifier } from '../auth/auth-seams.ts'
import type { DeviceFlowService } from '../auth/device-flow-service.ts'
import type { EntryGuard } from '../auth/entry-guard.ts'
import type { SessionService } from '../auth/session-service.ts'
import type { Catalog } from '../catalog/catalog.ts'
import type { ExternalOidcConfig } from '../config/agent-config.ts'
import type { AppEnv } from './app-env.ts'
import { allRouteSpecs } from './openapi/all-route-specs.ts'
import { authRoutes } from './routes/auth-routes.ts'
import { devicePageRoutes } from './routes/device-page-routes.ts'
import { discoveryRoutes } from './routes/discovery-routes.ts'
import { userModelsRoutes } from './routes/user-models-routes.ts'
import { wellKnownRoutes } from './routes/well-known-routes.ts'

export type AgentSurfaceDeps = {
  deviceFlow: DeviceFlowService
  sessions: SessionService
  entryGuard: EntryGuard
  verifyCredentials: CredentialVerifier
  publicUrl: string | undefined
  externalOidc: ExternalOidcConfig | undefined
  version: string
}

/** The agent surface (issue 5): discovery documents, device-flow login and the /device page. */
export function mountAgentRoutes(
  app: Hono<AppEnv>,
  deps: AgentSurfaceDeps & { apiKeys: ApiKeyAuthenticator; catalog: Catalog; createdAt: number },
): void {
  const userAuth = { sessions: deps.sessions.authenticator, apiKeys: deps.apiKeys }
  app.route('/', discoveryRoutes({ routes: allRouteSpecs, version: deps.version, publicUrl: deps.publicUrl }))
  app.route(
    '/api/v1/auth',
    authRoutes({
      deviceFlow: deps.deviceFlow,
      sessions: deps.sessions,
      userAuth,
      publicUrl: deps.publicUrl,
      externalOidc: deps.externalOidc,
    }),
  )
  app.route('/', wellKnownRoutes({ publicUrl: deps.publicUrl, externalOidc: deps.externalOidc }))
  app.route('/api/v1', userModelsRoutes({ catalog: deps.catalog, createdAt: deps.createdAt, userAuth }))
  app.route('/', devicePageRoutes({ deviceFlow: deps.deviceFlow, entryGuard: deps.entryGuard, verifyCredentials: deps.verifyCredentials }))
}
