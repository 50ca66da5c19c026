import { Hono } from 'hono'
import type { ExternalOidcConfig } from '../../config/agent-config.ts'
import type { AppEnv } from '../app-env.ts'
import { deviceCodeGrantType, loginScope, publicBaseUrl } from './auth-routes.ts'

/**
 * OAuth discovery documents: RFC 9728 protected-resource metadata (what MCP clients fetch after a
 * 401) and RFC 8414 authorization-server metadata for the gateway's own device flow.
 */
export function wellKnownRoutes(deps: { publicUrl: string | undefined; externalOidc: ExternalOidcConfig | undefined }): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const resourceMetadata = (base: string, resource: string) => ({
    resource,
    authorization_servers: [deps.externalOidc?.issuer ?? base],
    scopes_supported: [loginScope],
    bearer_methods_supported: ['header'],
    resource_name: 'Switchyard',
    resource_documentation: `${base}/llms.txt`,
  })

  app.get('/.well-known/oauth-protected-resource', (c) => {
    const base = publicBaseUrl(c, deps.publicUrl)
    return c.json(resourceMetadata(base, base))
  })
  app.get('/.well-known/oauth-protected-resource/mcp', (c) => {
    const base = publicBaseUrl(c, deps.publicUrl)
    return c.json(resourceMetadata(base, `${base}/mcp`))
  })
  app.get('/.well-known/oauth-authorization-server', (c) => {
    const base = publicBaseUrl(c, deps.publicUrl)
    return c.json({
      issuer: base,
      device_authorization_endpoint: `${base}/api/v1/auth/device/code`,
      token_endpoint: `${base}/api/v1/auth/token`,
      grant_types_supported: [deviceCodeGrantType],
      response_types_supported: [],
      scopes_supported: [loginScope],
      token_endpoint_auth_methods_supported: ['none'],
    })
  })
  return app
}
