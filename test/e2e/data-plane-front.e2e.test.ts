import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// The data plane is served by its own front (src/http/data-plane/), straight from Bun's router;
// Hono serves the rest and mounts the same front for in-process callers. These tests pin the
// front's own duties over real HTTP: body limits (declared and chunked), the request id, and the
// fall-through of other methods to the app.

let gateway: TestGateway
let rawKey: string
const limitBytes = Math.round(0.01 * 1024 * 1024)

beforeAll(async () => {
  gateway = await startTestGateway({ env: { SWITCHYARD_BODY_LIMIT_MB: '0.01' } })
  rawKey = (await gateway.createKey()).raw
})

afterAll(async () => {
  await gateway.stop()
})

function chatBody(content: string): string {
  return JSON.stringify({ model: 'switchyard/echo', messages: [{ role: 'user', content }] })
}

/** A body sent with Transfer-Encoding: chunked (no Content-Length), in pieces of `pieceBytes`. */
function chunkedStream(text: string, pieceBytes: number): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text)
  let offset = 0
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close()
      controller.enqueue(bytes.slice(offset, offset + pieceBytes))
      offset += pieceBytes
    },
  })
}

function postChunked(text: string, pieceBytes = 1024): Promise<Response> {
  return fetch(`${gateway.baseUrl}/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${rawKey}`, 'content-type': 'application/json' },
    body: chunkedStream(text, pieceBytes),
    // @ts-expect-error: Bun's fetch takes the streaming-body option the DOM typing lacks
    duplex: 'half',
  })
}

describe('the data-plane front', () => {
  test('a chunked body within the limit is read whole and answered', async () => {
    const response = await postChunked(chatBody('y'.repeat(limitBytes - 200)), 700)
    expect(response.status).toBe(200)
    const completion = (await response.json()) as { choices: Array<{ message: { content: string } }> }
    expect(completion.choices[0]?.message.content).toContain('yyyy')
  })

  test('a chunked body over the limit is cut off with a 413 envelope, and the refusal is logged', async () => {
    const response = await postChunked(chatBody('z'.repeat(limitBytes * 3)))
    expect(response.status).toBe(413)
    const requestId = response.headers.get('x-request-id') ?? ''
    expect(requestId).toStartWith('req_')
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('request_too_large')
    const row = await gateway.waitForLogRow(requestId)
    expect(row.status).toBe(413)
    expect(row.error_code).toBe('request_too_large')
  })

  test('a declared length over the limit is refused before the key is even looked at', async () => {
    const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: chatBody('w'.repeat(limitBytes)),
    })
    expect(response.status).toBe(413)
  })

  test('one x-request-id per answer, ours, whatever the client sent', async () => {
    const response = await fetch(`${gateway.baseUrl}/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${rawKey}`, 'content-type': 'application/json', 'x-request-id': 'client-chosen' },
      body: chatBody('hello'),
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('x-request-id')).toMatch(/^req_[0-9a-z]{9}[A-Za-z0-9]{11}$/)
  })

  test('in process (gateway.handle) answers as the network path does', async () => {
    const init = { method: 'POST', headers: { authorization: `Bearer ${rawKey}`, 'content-type': 'application/json' } }
    const overHttp = await fetch(`${gateway.baseUrl}/chat/completions`, { ...init, body: chatBody('same') })
    const inProcess = await gateway.handle(new Request(`${gateway.baseUrl}/chat/completions`, { ...init, body: chatBody('same') }))
    expect(inProcess.status).toBe(overHttp.status)
    const headerNames = (response: Response) =>
      [...response.headers.keys()].filter((name) => name !== 'date' && name !== 'content-length').sort()
    expect(headerNames(inProcess)).toEqual(headerNames(overHttp))
    const content = async (response: Response) =>
      ((await response.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]?.message.content
    expect(await content(inProcess)).toBe(await content(overHttp))
  })

  test('other methods on a data-plane path fall through to the app: a 404 envelope', async () => {
    const response = await fetch(`${gateway.baseUrl}/chat/completions`, { headers: { authorization: `Bearer ${rawKey}` } })
    expect(response.status).toBe(404)
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('not_found')
    expect(response.headers.get('x-request-id')).toStartWith('req_')
  })
})
