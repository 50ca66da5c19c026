import { describe, expect, test } from 'bun:test'
import type { Store } from '../../store/store.ts'
import { healthRoutes } from './health-routes.ts'

function storeThat(get: () => Promise<string | undefined>): Pick<Store, 'dialect' | 'settings'> {
  return { dialect: 'postgres', settings: { get, set: async () => {} } }
}

const answering = storeThat(async () => undefined)
const never = () => new Promise<never>(() => {})

async function readyz(app: ReturnType<typeof healthRoutes>) {
  const response = await app.request('/readyz')
  return { status: response.status, body: (await response.json()) as Record<string, unknown> }
}

describe('GET /readyz', () => {
  test('ready when the database answers; Redis is not mentioned when it is not configured', async () => {
    expect(await readyz(healthRoutes({ store: answering }))).toEqual({ status: 200, body: { status: 'ready', database: 'postgres' } })
  })

  test('ready when the database and Redis both answer', async () => {
    const app = healthRoutes({ store: answering, pingRedis: async () => 'PONG' })
    expect(await readyz(app)).toEqual({ status: 200, body: { status: 'ready', database: 'postgres', redis: 'ok' } })
  })

  test('503 naming Redis when its PING fails', async () => {
    const app = healthRoutes({
      store: answering,
      pingRedis: async () => {
        throw new Error('Connection is closed and offline queue is disabled')
      },
    })
    expect(await readyz(app)).toEqual({
      status: 503,
      body: { status: 'unavailable', database: 'postgres', redis: 'unavailable', unavailable: ['redis'] },
    })
  })

  test('503 naming the database when it fails, Redis still reported', async () => {
    const app = healthRoutes({
      store: storeThat(async () => {
        throw new Error('Connection closed')
      }),
      pingRedis: async () => 'PONG',
    })
    expect(await readyz(app)).toEqual({
      status: 503,
      body: { status: 'unavailable', database: 'postgres', redis: 'ok', unavailable: ['database'] },
    })
  })

  test('a dependency that never answers is down after the probe timeout, not a hung probe', async () => {
    const app = healthRoutes({ store: storeThat(never), pingRedis: never, probeTimeoutMs: 50 })
    const started = Date.now()
    const { status, body } = await readyz(app)
    expect(Date.now() - started).toBeLessThan(1000)
    expect(status).toBe(503)
    expect(body.unavailable).toEqual(['database', 'redis'])
  })
})

describe('GET /healthz', () => {
  test('answers while a dependency is down: liveness is the process only', async () => {
    const app = healthRoutes({ store: storeThat(never), pingRedis: never, probeTimeoutMs: 50 })
    const response = await app.request('/healthz')
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ status: 'ok' })
  })
})
