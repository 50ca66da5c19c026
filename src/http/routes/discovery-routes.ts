import { Hono } from 'hono'
import type { AppEnv } from '../app-env.ts'
import { renderLlmsFullText, renderLlmsText } from '../llms/render-llms-text.ts'
import { buildOpenApiDocument } from '../openapi/build-openapi-document.ts'
import { renderDocsHtml } from '../openapi/render-docs-html.ts'
import type { RouteSpec } from '../openapi/route-spec.ts'
import { publicBaseUrl } from './auth-routes.ts'

/** `/openapi.json`, `/docs`, `/llms.txt`, `/llms-full.txt`: built once at start, with the base URL filled per request. */
export function discoveryRoutes(deps: { routes: readonly RouteSpec[]; version: string; publicUrl: string | undefined }): Hono<AppEnv> {
  const app = new Hono<AppEnv>()
  const document = buildOpenApiDocument({ routes: deps.routes, version: deps.version })
  const documentJson = JSON.stringify(document)
  const docsHtml = renderDocsHtml(document)

  app.get('/openapi.json', (c) => {
    const serverUrl = publicBaseUrl(c, deps.publicUrl)
    // The servers entry depends on the host the caller used; the rest is the pre-rendered document.
    return c.body(`{"servers":[{"url":${JSON.stringify(serverUrl)}}],${documentJson.slice(1)}`, 200, { 'content-type': 'application/json' })
  })
  app.get('/docs', (c) =>
    c.html(docsHtml, 200, { 'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'" }),
  )
  app.get('/llms.txt', (c) => c.text(renderLlmsText(publicBaseUrl(c, deps.publicUrl))))
  app.get('/llms-full.txt', (c) => c.text(renderLlmsFullText(publicBaseUrl(c, deps.publicUrl), deps.routes)))
  return app
}
