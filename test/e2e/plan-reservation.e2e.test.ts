import { afterAll, beforeAll, expect, test } from 'bun:test'
import type { FakeProviderHandle } from '../support/fake-provider.ts'
import { startShapingGateway } from '../support/start-shaping-gateway.ts'
import type { TestGateway } from '../support/start-test-gateway.ts'

// /v1/plan's money through the real accounts ledger: the plan's whole worst case is held before
// its first step; every step is one ledger row `<plan>_s<n>` charged from that one hold (not held
// again per call); the rest is released; the balance moves by exactly the plan's cost.

let fake: FakeProviderHandle
let gateway: TestGateway

beforeAll(async () => {
  ;({ fake, gateway } = await startShapingGateway([{ model: 'pricey', input: 10, output: 30 }]))
})
afterAll(async () => {
  await gateway.stop()
  await fake.close()
})

type LedgerRow = { id: string; user_id: string; kind: string; amount_micros: number; request_id: string }
type PlanBody = {
  id: string
  usage: { cost_micros: number }
  worst_case_cost_usd: number
  steps: Array<{ index: number; role: string; cost_micros: number; model: string }>
  error?: { code: string; param: string | null }
}

async function userWithKey(balanceUsd: number, key: Record<string, unknown> = {}) {
  const user = await gateway.createUser({ balanceUsd })
  const { raw } = await gateway.createKey({ userId: user.id, scopes: ['chat', 'plan', 'manage'], extra: key })
  return { userId: user.id, key: raw }
}

const plan = async (key: string, body: unknown) => {
  const response = await fetch(`${gateway.baseUrl}/plan`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { response, body: (await response.json()) as PlanBody }
}

const balanceOf = async (key: string) => {
  const response = await fetch(`${gateway.url}/api/v1/balance`, { headers: { authorization: `Bearer ${key}` } })
  return (await response.json()) as { balance_micros: number; reserved_micros: number }
}

/** The user's ledger charges, once the batch writer has written `count` of them. */
async function chargesOf(userId: string, count: number): Promise<LedgerRow[]> {
  for (let attempt = 0; attempt < 200; attempt++) {
    const { body } = await gateway.admin<{ data: LedgerRow[] }>('GET', `/api/v1/admin/ledger?user_id=${userId}&limit=1000`)
    const charges = body.data.filter((row) => row.kind === 'charge')
    if (charges.length >= count) return charges
    await Bun.sleep(25)
  }
  throw new Error(`fewer than ${count} charges for ${userId}`)
}

// refine, 2 rounds: 3 steps, each at most 1,024 tokens out.
const ask = {
  request: { messages: [{ role: 'user', content: 'Plan a migration.' }] },
  orchestration: { mode: 'refine', iterations: 2, max_tokens_per_step: 1024 },
}

test('a plan larger than the balance, the key ceiling or the monthly budget is a 402 before any step runs', async () => {
  const poor = await userWithKey(0.05)
  const refused = await plan(poor.key, ask)
  expect(refused.response.status).toBe(402)
  expect(refused.response.headers.get('x-should-retry')).toBe('false')
  expect(refused.body.error).toMatchObject({ code: 'insufficient_quota', param: 'balance' })
  const capped = await userWithKey(100, { limit_usd: 0.05 })
  const overCeiling = await plan(capped.key, ask)
  expect([overCeiling.response.status, overCeiling.body.error?.param]).toEqual([402, 'key_limit'])
  const budgeted = await userWithKey(100, { monthly_budget_usd: 0.05 })
  const overBudget = await plan(budgeted.key, ask)
  expect([overBudget.response.status, overBudget.body.error?.param]).toEqual([402, 'monthly_budget'])
  expect(fake.requests).toHaveLength(0)
  expect(await balanceOf(poor.key)).toMatchObject({ balance_micros: 50_000, reserved_micros: 0 })
})

test('one hold for the whole plan: a balance of exactly the worst case runs every step', async () => {
  // The worst case of this request, learnt from a rich user's run (it depends only on the request).
  const rich = await userWithKey(100)
  fake.script('pricey', ['one', 'two', 'three'])
  const first = await plan(rich.key, ask)
  expect(first.response.status).toBe(200)
  const worstCaseMicros = Math.round(first.body.worst_case_cost_usd * 1_000_000)
  expect(first.response.headers.get('x-switchyard-plan-worst-case-usd')).toBe(first.body.worst_case_cost_usd.toFixed(6))

  // Were each step also held by the per-call gate, the first step's own hold would not fit.
  const exact = await userWithKey(worstCaseMicros / 1_000_000)
  fake.reset()
  fake.script('pricey', ['uno', 'dos', 'tres'])
  const { response, body } = await plan(exact.key, ask)
  expect(response.status).toBe(200)
  expect(body.steps.map((step) => step.role)).toEqual(['answer', 'improve', 'improve'])
  expect(fake.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(3)

  // One ledger row per step, tied to the plan's id, summing to the plan's cost and to the
  // balance change, to the micro-dollar; nothing stays held.
  const charges = await chargesOf(exact.userId, 3)
  expect(charges.map((row) => row.id).sort()).toEqual([`${body.id}_s1`, `${body.id}_s2`, `${body.id}_s3`])
  const charged = -charges.reduce((sum, row) => sum + row.amount_micros, 0)
  expect(charged).toBe(body.usage.cost_micros)
  for (const step of body.steps) {
    expect(charges.find((row) => row.id === `${body.id}_s${step.index}`)?.amount_micros).toBe(-step.cost_micros)
  }
  expect(body.usage.cost_micros).toBeGreaterThan(0)
  expect(body.usage.cost_micros).toBeLessThanOrEqual(worstCaseMicros)
  expect(await balanceOf(exact.key)).toMatchObject({ balance_micros: worstCaseMicros - charged, reserved_micros: 0 })
  await gateway.accounts.ledger.flush()
  const { body: user } = await gateway.admin<{ balance_micros: number }>('GET', `/api/v1/admin/users/${exact.userId}`)
  expect(user.balance_micros).toBe(worstCaseMicros - charged)

  // The user's own request view shows the steps and their costs.
  type View = {
    cost_micros: number
    steps?: Array<{ cost_micros: number; output_excerpt: string; model: string; routing: { order: string[] } | null }>
  }
  let shown: View | undefined
  for (let attempt = 0; attempt < 200 && shown?.steps?.length !== 3; attempt++) {
    const view = await fetch(`${gateway.url}/api/v1/requests/${body.id}`, { headers: { authorization: `Bearer ${exact.key}` } })
    if (view.status === 200) shown = (await view.json()) as View
    await Bun.sleep(25)
  }
  if (shown?.steps == null) throw new Error('the plan never showed its steps')
  expect(shown.cost_micros).toBe(charged)
  expect(shown.steps.map((step) => step.output_excerpt)).toEqual(['uno', 'dos', 'tres'])
  // Each step's routing explanation (the candidates its call was given).
  expect(shown.steps.map((step) => step.routing?.order)).toEqual([['fake/pricey'], ['fake/pricey'], ['fake/pricey']])
  // Another user's view of it is a 404.
  const other = await fetch(`${gateway.url}/api/v1/requests/${body.id}`, { headers: { authorization: `Bearer ${rich.key}` } })
  expect(other.status).toBe(404)
})

test('plans go through rate-limit admission: one request each, whatever their steps', async () => {
  fake.reset()
  const { key } = await userWithKey(100, { rate_limits: { requests_per_minute: 1 } })
  fake.script('pricey', ['a', 'b', 'c'])
  const first = await plan(key, ask)
  expect(first.response.status).toBe(200)
  expect(first.response.headers.get('x-ratelimit-limit-requests')).toBe('1')
  const second = await plan(key, ask)
  expect(second.response.status).toBe(429)
  expect(fake.requests.filter((request) => request.path === '/v1/chat/completions')).toHaveLength(3)
})

test('the key needs the plan scope', async () => {
  fake.reset()
  const user = await gateway.createUser({ balanceUsd: 10 })
  const { raw } = await gateway.createKey({ userId: user.id, scopes: ['chat'] })
  const { response, body } = await plan(raw, ask)
  expect(response.status).toBe(403)
  expect(body.error?.code).toBe('permission_denied')
  expect(fake.requests).toHaveLength(0)
})
