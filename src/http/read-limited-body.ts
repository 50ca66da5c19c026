import { GatewayError } from '../errors/gateway-error.ts'

export function bodyTooLarge(maxBytes: number): GatewayError {
  return new GatewayError('request_too_large', `The request body exceeds the limit of ${maxBytes} bytes.`)
}

/**
 * The declared Content-Length, checked against the limit before anything else is done with the
 * request (a 413 needs no authentication). Null when the body is chunked or absent.
 */
export function checkDeclaredLength(headers: Headers, maxBytes: number): string | null {
  const declared = headers.get('content-length')
  if (declared == null || headers.has('transfer-encoding')) return null
  if (Number.parseInt(declared, 10) > maxBytes) throw bodyTooLarge(maxBytes)
  return declared
}

/**
 * The whole body, never more than `maxBytes`: a declared length was checked up front, so it is
 * read in one go; a chunked body is counted as it arrives and cut off with a 413 at the limit,
 * before it is all buffered.
 */
export function readLimitedBody(request: Request, declaredLength: string | null, maxBytes: number): Promise<Uint8Array> {
  if (declaredLength != null || request.body == null) return request.bytes()
  return readCounting(request.body, maxBytes)
}

async function readCounting(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<Uint8Array> {
  const reader = body.getReader()
  const parts: Uint8Array[] = []
  let total = 0
  while (true) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > maxBytes) {
      await reader.cancel()
      throw bodyTooLarge(maxBytes)
    }
    parts.push(value)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const part of parts) {
    bytes.set(part, offset)
    offset += part.byteLength
  }
  return bytes
}
