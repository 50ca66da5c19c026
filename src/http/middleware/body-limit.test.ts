import { describe, expect, test } from 'bun:test'
import { Hono } from 'hono'
import { isGatewayError } from '../../errors/gateway-error.ts'
import { bodyLimit } from './body-limit.ts'

function appWithLimit(maxBytes: number) {
  const app = new Hono()
  app.use(bodyLimit({ maxBytes }))
  app.post('/', async (c) => c.text(String((await c.req.arrayBuffer()).byteLength)))
  app.onError((error, c) => c.text(isGatewayError(error) ? error.code : 'other', 413))
  return app
}

function chunked(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text)
  return new ReadableStream({
    start(controller) {
      controller.enqueue(bytes.slice(0, 3))
      controller.enqueue(bytes.slice(3))
      controller.close()
    },
  })
}

describe('bodyLimit', () => {
  test('a declared length within the limit passes, and the body is still readable', async () => {
    const response = await appWithLimit(10).request('/', { method: 'POST', body: '0123456789', headers: { 'content-length': '10' } })
    expect(await response.text()).toBe('10')
  })

  test('a declared length over the limit is refused before the body is read', async () => {
    const response = await appWithLimit(10).request('/', { method: 'POST', body: '01234567890', headers: { 'content-length': '11' } })
    expect(response.status).toBe(413)
    expect(await response.text()).toBe('request_too_large')
  })

  test('a chunked body is counted as it arrives', async () => {
    const within = await appWithLimit(10).request('/', { method: 'POST', body: chunked('0123456789'), duplex: 'half' } as RequestInit)
    expect(await within.text()).toBe('10')
    const over = await appWithLimit(10).request('/', { method: 'POST', body: chunked('01234567890'), duplex: 'half' } as RequestInit)
    expect(await over.text()).toBe('request_too_large')
  })

  test('a request without a body passes', async () => {
    const app = new Hono()
    app.use(bodyLimit({ maxBytes: 10 }))
    app.get('/', (c) => c.text('ok'))
    expect(await (await app.request('/')).text()).toBe('ok')
  })
})
