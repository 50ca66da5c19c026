import type { z } from 'zod'

/** Who may call a route; each maps to an OpenAPI security requirement. */
export type RouteAuth = 'none' | 'api_key' | 'admin_token' | 'user'

export type RouteResponse = {
  description: string
  /** A JSON body; omit for bodies that are not JSON (HTML, text, SSE). */
  json?: z.ZodType
  /** For non-JSON bodies: the content type, e.g. `text/html`. */
  contentType?: string
}

/**
 * One documented route. Adding a route to the OpenAPI document is adding one of these to a table
 * (see route-specs.ts); the discovery test fails on any route the app serves without one.
 */
export type RouteSpec = {
  method: 'get' | 'post' | 'delete' | 'put' | 'patch'
  /** OpenAPI form: `/v1/models/{id}`. */
  path: string
  summary: string
  description?: string
  tag: string
  auth: RouteAuth
  request?: { json?: z.ZodType; form?: z.ZodType; query?: z.ZodObject }
  responses: Record<number, RouteResponse>
}
