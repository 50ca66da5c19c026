import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'bun:test'
import { createParser } from 'eventsource-parser'
import type { FakeProviderHandle } from '../support/fake-provider.ts'
import { startShapingGateway } from '../support/start-shaping-gateway.ts'
import type { TestGateway } from '../support/start-test-gateway.ts'

// POST /v1/plan over real HTTP against a fake provider whose answers are scripted per model.
// Steps are routed by the routing engine over the registry's weights, set here so that the
// heaviest model is also the cheapest: `planning` and `high_confidence` pick cheap-a (9) first,
// then mid-b (8) when cheap-a is excluded (the critic); `normal` voters come out cheap-a, mid-b,
// strong-c; the judge is the model left, judge-d (6). Routing sees no health history (a neutral
// HealthView), so the fake provider's jitter in latency never reorders the choice.

let fake: FakeProviderHandle
let gateway: TestGateway
let apiKey: string

beforeAll(async () => {
  ;({ fake, gateway } = await startShapingGateway(
    [
      { model: 'cheap-a', weight: 9, input: 1, output: 2 },
      { model: 'mid-b', weight: 8, input: 2, output: 4 },
      { model: 'strong-c', weight: 7, input: 3, output: 6 },
      { model: 'judge-d', weight: 6, input: 5, output: 10 },
    ],
    { health: { stats: () => undefined, isAvailable: () => true } },
  ))
  apiKey = (await gateway.createKey({ scopes: ['chat', 'plan'] })).raw
})
beforeEach(() => fake.reset())
afterAll(async () => {
  await gateway.stop()
  await fake.close()
})

type Step = {
  index: number
  role: string
  model: string
  status: number
  cost_micros: number
  usage: { input_tokens: number; output_tokens: number }
}
type PlanBody = {
  id: string
  mode: string
  negotiated_model: string
  routing_reason: string
  output: string
  output_parsed?: unknown
  response: Record<string, unknown>
  usage: { prompt_tokens: number; completion_tokens: number; cost: number; cost_micros: number }
  worst_case_cost_usd: number
  steps: Step[]
}
type Message = { role: string; content: string }

async function plan(
  body: unknown,
): Promise<{ status: number; body: PlanBody & { error?: { param: string; code: string; validation_errors?: string[] } } }> {
  const response = await fetch(`${gateway.baseUrl}/plan`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  return { status: response.status, body: (await response.json()) as PlanBody & { error?: { param: string; code: string } } }
}

/** What the fake provider was asked, in order: the upstream model and its messages. */
const calls = () =>
  fake.requests
    .filter((request) => request.path === '/v1/chat/completions')
    .map((request) => {
      const body = request.body as { model: string; messages: Message[]; max_tokens?: number }
      return { model: body.model, messages: body.messages, maxTokens: body.max_tokens }
    })

/**
 * The plan's cost equals the sum of its step rows in the request log, to the micro-dollar, and
 * each step's row is priced from its own tokens; the plan's own row carries no money.
 */
async function expectCostsAddUp(body: PlanBody, prices: Record<string, [number, number]>) {
  type View = {
    cost_micros: number
    steps?: Array<Step & { model: string; parent_request_id: string; output_excerpt?: string; cost_micros: number }>
  }
  let view: View | undefined
  for (let attempt = 0; attempt < 100; attempt++) {
    const found = await gateway.admin<View>('GET', `/api/v1/admin/requests/${body.id}`)
    if (found.status === 200 && found.body.steps?.length === body.steps.length) {
      view = found.body
      break
    }
    await Bun.sleep(25)
  }
  const steps = view?.steps ?? []
  expect(steps).toHaveLength(body.steps.length)
  const stepSum = steps.reduce((sum, step) => sum + step.cost_micros, 0)
  expect(stepSum).toBe(body.usage.cost_micros)
  expect(Math.round(body.usage.cost * 1_000_000)).toBe(stepSum)
  expect(view?.cost_micros).toBe(stepSum)
  for (const step of steps) {
    expect(step.parent_request_id).toBe(body.id)
    const [input, output] = prices[step.model] ?? [Number.NaN, Number.NaN]
    expect(step.cost_micros).toBe(step.usage.input_tokens * input + step.usage.output_tokens * output)
  }
  expect(body.usage.prompt_tokens).toBe(steps.reduce((sum, step) => sum + step.usage.input_tokens, 0))
  expect(body.worst_case_cost_usd).toBeGreaterThanOrEqual(body.usage.cost)
  return steps
}

// USD per million tokens = micro-dollars per token.
const prices: Record<string, [number, number]> = {
  'fake/cheap-a': [1, 2],
  'fake/mid-b': [2, 4],
  'fake/strong-c': [3, 6],
  'fake/judge-d': [5, 10],
}
const ask = { request: { messages: [{ role: 'user', content: 'Design a REST API for a library.' }] } }

describe('planning', () => {
  test('one call to the chosen model with the planner prompt; a named model wins', async () => {
    fake.script('cheap-a', 'Step 1: books. Step 2: loans.')
    const { status, body } = await plan({ ...ask, orchestration: { mode: 'planning' } })
    expect(status).toBe(200)
    expect(body.output).toBe('Step 1: books. Step 2: loans.')
    expect(body.response).toEqual({ plan: 'Step 1: books. Step 2: loans.' })
    expect(body.negotiated_model).toBe('fake/cheap-a')
    const [call] = calls()
    expect(calls()).toHaveLength(1)
    expect(call?.model).toBe('cheap-a')
    expect(call?.messages[0]?.role).toBe('system')
    expect(call?.messages[1]).toEqual({ role: 'user', content: 'Design a REST API for a library.' })
    expect(call?.maxTokens).toBe(4096)
    const steps = await expectCostsAddUp(body, prices)
    expect(steps[0]).toMatchObject({ step_role: 'plan', output_excerpt: 'Step 1: books. Step 2: loans.' })

    fake.reset()
    const named = await plan({ ...ask, orchestration: { primary_model_id: 'fake/strong-c' } })
    expect(named.body.negotiated_model).toBe('fake/strong-c')
    expect(calls().map((call) => call.model)).toEqual(['strong-c'])
  })
})

describe('adversarial', () => {
  test('plan → critique by a different model → refine, twice; every step billed', async () => {
    fake.script('cheap-a', ['PLAN v1', 'PLAN v2', 'PLAN v3'])
    fake.script('mid-b', ['CRITIQUE one', 'CRITIQUE two'])
    const { status, body } = await plan({ ...ask, orchestration: { mode: 'adversarial', iterations: 2 } })
    expect(status).toBe(200)
    expect(body.response).toEqual({ initial_plan: 'PLAN v1', critiques: ['CRITIQUE one', 'CRITIQUE two'], refined_plan: 'PLAN v3' })
    expect(body.output).toBe('PLAN v3')
    expect(body.routing_reason).toBe('adversarial-orchestration')
    const made = calls()
    expect(made.map((call) => call.model)).toEqual(['cheap-a', 'mid-b', 'cheap-a', 'mid-b', 'cheap-a'])
    const lastUser = (index: number) => made[index]?.messages.at(-1)?.content ?? ''
    expect(lastUser(1)).toContain('Design a REST API for a library.')
    expect(lastUser(1)).toContain('PLAN v1')
    expect(lastUser(2)).toContain('PLAN v1')
    expect(lastUser(2)).toContain('CRITIQUE one')
    expect(lastUser(3)).toContain('PLAN v2')
    expect(lastUser(4)).toContain('PLAN v2')
    expect(lastUser(4)).toContain('CRITIQUE two')
    expect(body.steps.map((step) => step.role)).toEqual(['plan', 'critique', 'refine', 'critique', 'refine'])
    await expectCostsAddUp(body, prices)
  })

  test('return_plan_only stops after the first plan; named review model is used', async () => {
    fake.script('cheap-a', 'ONLY PLAN')
    const only = await plan({ ...ask, orchestration: { mode: 'adversarial', return_plan_only: true } })
    expect(only.body.response).toEqual({ initial_plan: 'ONLY PLAN' })
    expect(only.body.routing_reason).toBe('adversarial-plan-only')
    fake.reset()
    fake.script('cheap-a', ['P1', 'P2'])
    fake.script('judge-d', 'C1')
    const named = await plan({ ...ask, orchestration: { mode: 'adversarial', review_model_id: 'fake/judge-d' } })
    expect(calls().map((call) => call.model)).toEqual(['cheap-a', 'judge-d', 'cheap-a'])
    expect(named.body.output).toBe('P2')
  })
})

describe('vote', () => {
  const voteAsk = { ...ask, orchestration: { mode: 'vote', iterations: 3 } }
  const scriptVoters = () => {
    fake.script('cheap-a', 'Answer from A')
    fake.script('mid-b', 'Answer from B')
    fake.script('strong-c', 'Answer from C')
  }

  test('three different models answer, a fourth judges, the judged winner is returned', async () => {
    scriptVoters()
    fake.script('judge-d', '{"winner": 2, "reason": "B covers pagination."}')
    const { status, body } = await plan(voteAsk)
    expect(status).toBe(200)
    const made = calls()
    expect(
      made
        .slice(0, 3)
        .map((call) => call.model)
        .sort(),
    ).toEqual(['cheap-a', 'mid-b', 'strong-c'])
    expect(made[3]?.model).toBe('judge-d')
    const judgePrompt = made[3]?.messages.at(-1)?.content ?? ''
    expect(judgePrompt).toContain('## Answer 1\nAnswer from A')
    expect(judgePrompt).toContain('## Answer 2\nAnswer from B')
    expect(judgePrompt).toContain('## Answer 3\nAnswer from C')
    expect(body.output).toBe('Answer from B')
    expect(body.negotiated_model).toBe('fake/mid-b')
    expect(body.response).toMatchObject({ selected: 1, judge: 'fake/judge-d', selection: 'judged', reason: 'B covers pagination.' })
    expect((body.response.responses as Array<{ model: string; selected: boolean }>).map((entry) => [entry.model, entry.selected])).toEqual([
      ['fake/cheap-a', false],
      ['fake/mid-b', true],
      ['fake/strong-c', false],
    ])
    await expectCostsAddUp(body, prices)
  })

  test('a tie keeps the first tied answer; an unreadable verdict keeps the first answer; a failed voter is left out', async () => {
    scriptVoters()
    fake.script('judge-d', '{"winner": [3, 2], "reason": "Both fine."}')
    const tie = await plan(voteAsk)
    expect(tie.body.output).toBe('Answer from B')
    expect(tie.body.response).toMatchObject({ selection: 'tie' })

    fake.reset()
    scriptVoters()
    fake.script('judge-d', 'Answer 1 is short but answer 3 is thorough; hard to say.')
    const unreadable = await plan(voteAsk)
    expect(unreadable.body.output).toBe('Answer from A')
    expect(unreadable.body.response).toMatchObject({ selection: 'judgement-unreadable' })

    fake.reset()
    scriptVoters()
    fake.script('mid-b', { status: 500 })
    fake.script('judge-d', '{"winner": 2, "reason": "C is right."}')
    const failed = await plan(voteAsk)
    expect(failed.status).toBe(200)
    expect(failed.body.output).toBe('Answer from C')
    const judgePrompt = calls().at(-1)?.messages.at(-1)?.content ?? ''
    expect(judgePrompt).not.toContain('Answer from B')
    expect(failed.body.steps.find((step) => step.model === 'fake/mid-b')?.status).toBe(502)
    await expectCostsAddUp(failed.body, prices)
  })
})

describe('refine', () => {
  test('improves its own answer; a failing round is skipped and the best so far improved next', async () => {
    fake.script('cheap-a', ['draft 1', 'draft 2', { status: 500 }, 'draft 4'])
    const { status, body } = await plan({ ...ask, orchestration: { mode: 'refine', iterations: 3 } })
    expect(status).toBe(200)
    expect(body.output).toBe('draft 4')
    const made = calls()
    expect(made.map((call) => call.model)).toEqual(['cheap-a', 'cheap-a', 'cheap-a', 'cheap-a'])
    expect(made[1]?.messages.at(-1)?.content).toContain('draft 1')
    expect(made[3]?.messages.at(-1)?.content).toContain('draft 2')
    expect(body.response).toMatchObject({
      refined_response: 'draft 4',
      rounds: [
        { round: 1, kept: true },
        { round: 2, kept: false },
        { round: 3, kept: true },
      ],
    })
    await expectCostsAddUp(body, prices)

    fake.reset()
    fake.script('cheap-a', ['first', 'second', { status: 503 }])
    const lastFails = await plan({ ...ask, orchestration: { mode: 'refine', iterations: 2 } })
    expect(lastFails.body.output).toBe('second')
  })
})

describe('output shaping and validation', () => {
  test('json: prose-wrapped, then invalid, then valid — repaired twice as billed steps', async () => {
    const schema = {
      type: 'object',
      properties: { endpoints: { type: 'array', items: { type: 'string' }, minItems: 2 } },
      required: ['endpoints'],
    }
    fake.script('cheap-a', [
      'Here you go: {"endpoints": "GET /books"} enjoy',
      '{"endpoints": ["GET /books"]}',
      '{"endpoints": ["GET /books", "POST /loans"]}',
    ])
    const { status, body } = await plan({ ...ask, orchestration: { mode: 'planning', output_schema: JSON.stringify(schema) } })
    expect(status).toBe(200)
    expect(body.output_parsed).toEqual({ endpoints: ['GET /books', 'POST /loans'] })
    expect(body.steps.map((step) => step.role)).toEqual(['plan', 'repair', 'repair'])
    expect(calls()[2]?.messages.at(-1)?.content).toContain('/endpoints: must NOT have fewer than 2 items')
    await expectCostsAddUp(body, prices)

    fake.reset()
    fake.script('cheap-a', 'never json')
    const refused = await plan({ ...ask, output_format: { type: 'json', schema } })
    expect(refused.status).toBe(422)
    expect(refused.body.error?.code).toBe('output_validation_failed')
    expect(refused.body.error?.validation_errors).toEqual(['the answer contains no JSON value'])
    expect(calls()).toHaveLength(3)
  })

  test('bad requests are 400s naming the field, before any model is called', async () => {
    const cases: Array<[unknown, string]> = [
      [{ ...ask, orchestration: { mode: 'consensus' } }, 'orchestration.mode'],
      [{ ...ask, orchestration: { mode: 'refine', iterations: 11 } }, 'orchestration.iterations'],
      [{ ...ask, orchestration: { iterations: -1 } }, 'orchestration.iterations'],
      [{ ...ask, orchestration: { output_schema: '{not json' } }, 'orchestration.output_schema'],
      [{ ...ask, orchestration: { output_schema: { type: 'bogus' } } }, 'orchestration.output_schema'],
      [{ ...ask, orchestration: { primary_min_weight: 11 } }, 'orchestration.primary_min_weight'],
      [{ ...ask, output_format: { type: 'yaml' } }, 'output_format.type'],
      [{ request: { messages: [] } }, 'request.messages'],
      [{ ...ask, orchestration: { primary_model_id: 'no-such-model' } }, 'orchestration.primary_model_id'],
      // No model is that heavy (the heaviest weighs 9): routing refuses, naming the field.
      [{ ...ask, orchestration: { primary_min_weight: 9.5 } }, 'orchestration.primary_min_weight'],
      [{ ...ask, orchestration: { mode: 'adversarial', review_min_weight: 9.5 } }, 'orchestration.review_min_weight'],
    ]
    for (const [body, param] of cases) {
      const { status, body: answer } = await plan(body)
      expect([status, answer.error?.param]).toEqual([param === 'orchestration.primary_model_id' ? 404 : 400, param])
    }
    expect(calls()).toHaveLength(0)
  })

  test('primary_min_weight bounds the voters: only the models that heavy answer; the judge is the best of the rest', async () => {
    fake.script('cheap-a', 'Answer from A')
    fake.script('mid-b', 'Answer from B')
    fake.script('strong-c', '{"winner": 1, "reason": "A is complete."}')
    const { status, body } = await plan({ ...ask, orchestration: { mode: 'vote', iterations: 3, primary_min_weight: 7.5 } })
    expect(status).toBe(200)
    // Weights 9 and 8 pass 7.5, so two voters instead of three; strong-c (7) is the heaviest left to judge.
    expect(body.steps.map((step) => [step.role, step.model])).toEqual([
      ['voter', 'fake/cheap-a'],
      ['voter', 'fake/mid-b'],
      ['judge', 'fake/strong-c'],
    ])
    expect(body.output).toBe('Answer from A')
    await expectCostsAddUp(body, prices)
  })

  test('a key is required', async () => {
    const response = await fetch(`${gateway.baseUrl}/plan`, { method: 'POST', body: JSON.stringify(ask) })
    expect(response.status).toBe(401)
  })
})

describe('streaming', () => {
  test('step events arrive in order, then plan_finished; they parse with eventsource-parser', async () => {
    fake.script('cheap-a', ['first plan text', 'better plan text'])
    fake.script('mid-b', 'a sharp critique')
    const response = await fetch(`${gateway.baseUrl}/plan`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...ask, stream: true, orchestration: { mode: 'adversarial', iterations: 1 } }),
    })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/event-stream')
    const events: Array<{ event: string; data: Record<string, unknown> }> = []
    const parser = createParser({ onEvent: (event) => events.push({ event: event.event ?? 'message', data: JSON.parse(event.data) }) })
    // Fed in whatever pieces the network delivers, as a browser client would.
    const reader = response.body?.getReader()
    const decoder = new TextDecoder()
    while (reader != null) {
      const { done, value } = await reader.read()
      if (done) break
      parser.feed(decoder.decode(value, { stream: true }))
    }

    const outline = events.filter((event) => event.event !== 'step_delta').map((event) => `${event.event}:${event.data.index ?? ''}`)
    expect(outline).toEqual([
      'step_started:1',
      'step_finished:1',
      'step_started:2',
      'step_finished:2',
      'step_started:3',
      'step_finished:3',
      'plan_finished:',
    ])
    const deltas = (index: number) =>
      events
        .filter((event) => event.event === 'step_delta' && event.data.index === index)
        .map((event) => event.data.delta)
        .join('')
    expect(deltas(1)).toBe('first plan text')
    expect(deltas(2)).toBe('a sharp critique')
    expect(deltas(3)).toBe('better plan text')
    // Every delta of a step comes between its start and its finish.
    const position = (name: string, index: number) => events.findIndex((event) => event.event === name && event.data.index === index)
    const firstDelta = events.findIndex((event) => event.event === 'step_delta' && event.data.index === 2)
    expect(firstDelta).toBeGreaterThan(position('step_started', 2))
    expect(firstDelta).toBeLessThan(position('step_finished', 2))
    const finished = events.at(-1)?.data as unknown as PlanBody
    expect(finished.response).toEqual({
      initial_plan: 'first plan text',
      critiques: ['a sharp critique'],
      refined_plan: 'better plan text',
    })
    const stepCosts = events
      .filter((event) => event.event === 'step_finished')
      .reduce((sum, event) => sum + Number(event.data.cost_micros), 0)
    expect(finished.usage.cost_micros).toBe(stepCosts)
    await expectCostsAddUp(finished, prices)
  })

  test('a failing plan ends with an error event', async () => {
    fake.script('cheap-a', { status: 500 })
    const response = await fetch(`${gateway.baseUrl}/plan`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...ask, stream: true }),
    })
    const text = await response.text()
    const events: string[] = []
    const parser = createParser({ onEvent: (event) => events.push(`${event.event}`) })
    parser.feed(text)
    expect(events).toEqual(['step_started', 'step_finished', 'error'])
    expect(text).toContain('"code":"upstream_error"')
  })
})
