import type { Context } from 'hono'
import { GatewayError } from '../errors/gateway-error.ts'

const strictUtf8 = new TextDecoder('utf-8', { fatal: true })

/** Reads a Hono route's body as strict UTF-8 JSON; anything else is a 400 that says what is wrong. */
export async function readJsonBody(c: Context): Promise<unknown> {
  return parseJsonBody(new Uint8Array(await c.req.arrayBuffer()))
}

/** A request body as a JSON object: empty, invalid UTF-8, invalid JSON and non-objects are 400s. */
export function parseJsonBody(bytes: Uint8Array): unknown {
  if (bytes.length === 0) throw new GatewayError('invalid_json', 'The request body is empty; send a JSON object.')
  let text: string
  try {
    text = strictUtf8.decode(bytes)
  } catch {
    throw new GatewayError('invalid_json', 'The request body is not valid UTF-8.')
  }
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch (error) {
    throw new GatewayError('invalid_json', `The request body is not valid JSON: ${(error as Error).message}`)
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new GatewayError('invalid_json', 'The request body must be a JSON object.')
  }
  return body
}
