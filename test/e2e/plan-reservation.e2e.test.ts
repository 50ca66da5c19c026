import { afterAll, beforeAll, expect, test } from 'bun:test'
import { GatewayError } from '../../src/errors/gateway-error.ts'
import type { RequestLogRow } from '../../src/store/store.ts'
import type { FakeProviderHandle } from '../support/fake-provider.ts'
import { startShapingGateway } from '../support/start-shaping-gateway.ts'
import type { TestGateway } from '../support/start-test-gateway.ts'

// The reservation seam accounts plugs into at merge: a balance held in this test, reserved for the
// plan's worst case before the first step, settled with every step's row afterwards.

let fake: FakeProviderHandle
let gateway: TestGateway
let apiKey: string
let balanceMicros = 0
const reservations: number[] = []
const settled: RequestLogRow[][] = []

beforeAll(async () => {
  ;({ fake, gateway } = await startShapingGateway([{ model: 'pricey', input: 10, output: 30 }], {
    plan: {
      async reserve({ worstCaseMicros }) {
        if (worstCaseMicros > balanceMicros) {
          throw new GatewayError(
            'insufficient_quota',
            `This plan may cost up to ${worstCaseMicros} micro-dollars; the balance is ${balanceMicros}.`,
          )
        }
        reservations.push(worstCaseMicros)
        return {
          async settle(rows) {
            settled.push([...rows])
          },
        }
      },
    },
  }))
  apiKey = (await gateway.createKey()).raw
})
afterAll(async () => {
  await gateway.stop()
  await fake.close()
})

const plan = (body: unknown) =>
  fetch(`${gateway.baseUrl}/plan`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
const ask = { request: { messages: [{ role: 'user', content: 'Plan a migration.' }] }, orchestration: { mode: 'refine', iterations: 2 } }

test('a plan larger than the balance is refused before any step runs', async () => {
  balanceMicros = 1000
  const response = await plan(ask)
  expect(response.status).toBe(402)
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe('insufficient_quota')
  expect(fake.requests).toHaveLength(0)
})

test('an affordable plan reserves its worst case and settles every step, which sum to its cost', async () => {
  balanceMicros = 10_000_000
  fake.script('pricey', ['one', 'two', 'three'])
  const response = await plan(ask)
  expect(response.status).toBe(200)
  const body = (await response.json()) as { usage: { cost_micros: number }; worst_case_cost_usd: number; steps: unknown[] }
  expect(reservations).toEqual([Math.round(body.worst_case_cost_usd * 1_000_000)])
  expect(response.headers.get('x-switchyard-plan-worst-case-usd')).toBe(body.worst_case_cost_usd.toFixed(6))
  const rows = settled[0] ?? []
  expect(rows.map((row) => row.stepRole)).toEqual(['answer', 'improve', 'improve'])
  expect(rows.reduce((sum, row) => sum + row.costMicros, 0)).toBe(body.usage.cost_micros)
  expect(body.usage.cost_micros).toBeLessThanOrEqual(reservations[0] ?? 0)
})
