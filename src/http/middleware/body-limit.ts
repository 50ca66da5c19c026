import type { MiddlewareHandler } from 'hono'
import { bodyLimit as honoBodyLimit } from 'hono/body-limit'
import { bodyTooLarge, checkDeclaredLength } from '../read-limited-body.ts'

/**
 * Refuses bodies over `maxBytes` with a 413. A declared Content-Length is checked from the header
 * alone: Hono's bodyLimit reads `request.body` first, and on Bun that getter builds a
 * ReadableStream for the body, which costs every request a few microseconds. Bodies without a
 * length (chunked) still go through Hono's counting reader.
 */
export function bodyLimit(options: { maxBytes: number }): MiddlewareHandler {
  const { maxBytes } = options
  const limitStreamedBody = honoBodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw bodyTooLarge(maxBytes)
    },
  })
  return async function bodyLimitMiddleware(c, next) {
    if (checkDeclaredLength(c.req.raw.headers, maxBytes) == null) return limitStreamedBody(c, next)
    await next()
  }
}
