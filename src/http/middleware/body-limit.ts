import type { MiddlewareHandler } from 'hono'
import { bodyLimit as honoBodyLimit } from 'hono/body-limit'
import { GatewayError } from '../../errors/gateway-error.ts'

/**
 * Refuses bodies over `maxBytes` with a 413. A declared Content-Length is checked from the header
 * alone: Hono's bodyLimit reads `request.body` first, and on Bun that getter builds a
 * ReadableStream for the body, which costs every request a few microseconds. Bodies without a
 * length (chunked) still go through Hono's counting reader.
 */
export function bodyLimit(options: { maxBytes: number }): MiddlewareHandler {
  const { maxBytes } = options
  const tooLarge = () => new GatewayError('request_too_large', `The request body exceeds the limit of ${maxBytes} bytes.`)
  const limitStreamedBody = honoBodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw tooLarge()
    },
  })
  return async function bodyLimitMiddleware(c, next) {
    const declaredLength = c.req.header('content-length')
    if (declaredLength == null || c.req.header('transfer-encoding') != null) return limitStreamedBody(c, next)
    if (Number.parseInt(declaredLength, 10) > maxBytes) throw tooLarge()
    await next()
  }
}
