import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { compileErrors, validate } from '@readme/openapi-parser'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

let gateway: TestGateway

beforeAll(async () => {
  gateway = await startTestGateway()
})

afterAll(async () => {
  await gateway.stop()
})

/** Hono's `/v1/models/:id{.+}` → OpenAPI's `/v1/models/{id}`. */
function toOpenApiPath(honoPath: string): string {
  return honoPath.replace(/:([A-Za-z0-9_]+)(\{[^}]*\})?/g, '{$1}')
}

describe('GET /openapi.json', () => {
  test('is a valid OpenAPI 3.1 document', async () => {
    const response = await fetch(`${gateway.url}/openapi.json`)
    expect(response.status).toBe(200)
    const document = (await response.json()) as { openapi: string; servers: Array<{ url: string }> }
    expect(document.openapi).toBe('3.1.0')
    expect(document.servers[0]?.url).toBe(gateway.url)
    const result = await validate(structuredClone(document) as never)
    if (!result.valid) throw new Error(compileErrors(result))
    expect(result.valid).toBe(true)
  })

  test('documents exactly the routes the app registers', async () => {
    const document = (await (await fetch(`${gateway.url}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> }
    const documented = new Set(
      Object.entries(document.paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    )
    // Middleware registrations (`app.use`) show up as ALL, on a wildcard or on a path that also has a
    // real handler; those are not endpoints. An `app.all` endpoint of its own still has to be documented.
    const handled = new Set(gateway.routes.filter((route) => route.method !== 'ALL').map((route) => route.path))
    const served = new Set(
      gateway.routes
        .filter((route) => !(route.method === 'ALL' && (route.path.endsWith('*') || handled.has(route.path))))
        .map((route) => `${route.method} ${toOpenApiPath(route.path)}`),
    )
    const undocumented = [...served].filter((route) => !documented.has(route))
    const unserved = [...documented].filter((route) => !served.has(route))
    expect(undocumented).toEqual([])
    expect(unserved).toEqual([])
    expect(served.size).toBeGreaterThan(15)
  })
})

describe('/docs, /llms.txt, /llms-full.txt', () => {
  test('/docs is one self-contained page listing every endpoint', async () => {
    const response = await fetch(`${gateway.url}/docs`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/html')
    const html = await response.text()
    expect(html).not.toMatch(/<script|<link|https?:\/\/(?!localhost|127\.0\.0\.1)[a-z]/i)
    for (const path of ['/v1/chat/completions', '/api/v1/auth/device/code', '/api/v1/admin/keys/{id}']) expect(html).toContain(path)
  })

  test('/llms.txt gives the base URL, the agent sequence and the hard rules', async () => {
    const text = await (await fetch(`${gateway.url}/llms.txt`)).text()
    expect(text).toStartWith('# Switchyard')
    expect(text).toContain(`${gateway.url}/v1`)
    for (const step of ['switchyard login', 'keys create', 'env >> .env', 'switchyard test', 'usage', 'balance', 'topup'])
      expect(text).toContain(step)
    expect(text).toContain('Never auto-pay')
  })

  test('/llms-full.txt lists every documented endpoint and the device flow', async () => {
    const text = await (await fetch(`${gateway.url}/llms-full.txt`)).text()
    expect(text).toContain('`POST /v1/chat/completions`')
    expect(text).toContain('`GET /api/v1/auth/discovery`')
    expect(text).toContain('urn:ietf:params:oauth:grant-type:device_code')
  })
})
