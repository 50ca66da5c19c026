import { afterAll, beforeAll, expect, test } from 'bun:test'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// With no provider at all, every plan mode still runs on the built-in echo model.

let gateway: TestGateway
let apiKey: string

beforeAll(async () => {
  gateway = await startTestGateway()
  apiKey = (await gateway.createKey({ scopes: ['plan'] })).raw
})
afterAll(async () => {
  await gateway.stop()
})

test('each mode answers on echo alone; vote with one model needs no judge', async () => {
  for (const mode of ['planning', 'adversarial', 'vote', 'refine']) {
    const response = await fetch(`${gateway.baseUrl}/plan`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ request: { messages: [{ role: 'user', content: 'hello plan' }] }, orchestration: { mode } }),
    })
    expect(response.status).toBe(200)
    const body = (await response.json()) as { negotiated_model: string; routing_reason: string; output: string; usage: { cost: number } }
    expect(body.negotiated_model).toBe('switchyard/echo')
    expect(body.output).toContain('[switchyard/echo]')
    expect(body.usage.cost).toBe(0)
    if (mode === 'vote') expect(body.routing_reason).toBe('vote-single-response')
  }
})
