import { describe, expect, test } from 'bun:test'
import type { CatalogModel } from '../catalog/catalog-types.ts'
import type { RoutingExplanation } from '../routing/routing-explanation.ts'
import type { RequestLogRow } from '../store/store.ts'
import type { AttemptRecord } from './attempt-record.ts'
import { isTrivialRoute, trivialExplanationFromRow } from './trivial-explanation.ts'

const explicit: RoutingExplanation = {
  mode: 'explicit',
  policy: 'requested',
  reason: 'requested',
  bucket: 'small',
  estimate: { inputTokens: 10, outputTokens: 32 },
  constraints: {},
  directive: false,
  candidates: [{ model: 'openai/gpt-4o-mini', provider: 'openai', weight: 5, estimatedCostUsd: 0.00002 }],
  rejected: [],
  order: ['openai/gpt-4o-mini'],
  chosen: 'openai/gpt-4o-mini',
}
const model = { id: 'openai/gpt-4o-mini', providerId: 'openai' } as CatalogModel
const success = { model: model.id, provider: 'openai', outcome: 'success' } as AttemptRecord

describe('isTrivialRoute', () => {
  test('one named model, no directive, no constraints, one successful call: nothing to store', () => {
    expect(isTrivialRoute(explicit, [model], [success])).toBe(true)
  })
  test('a choice, a directive, a constraint or a retry is worth explaining', () => {
    expect(isTrivialRoute({ ...explicit, mode: 'auto' }, [model], [success])).toBe(false)
    expect(isTrivialRoute({ ...explicit, directive: true }, [model], [success])).toBe(false)
    expect(isTrivialRoute({ ...explicit, constraints: { policy: 'cheap' } }, [model], [success])).toBe(false)
    expect(isTrivialRoute(explicit, [model, model], [success])).toBe(false)
    expect(isTrivialRoute(explicit, [model], [{ ...success, outcome: 'error' }, success])).toBe(false)
  })
})

describe('trivialExplanationFromRow', () => {
  const row: RequestLogRow = {
    requestId: 'req_1',
    keyId: 'key_1',
    endpoint: '/v1/chat/completions',
    model: 'openai/gpt-4o-mini',
    provider: 'openai',
    status: 200,
    errorCode: null,
    stream: false,
    inputTokens: 2_000,
    outputTokens: 40,
    cachedInputTokens: 0,
    reasoningTokens: 0,
    costMicros: 1_500,
    latencyMs: 12,
    ttftMs: null,
    createdAt: 0,
  }
  test('rebuilds the explicit explanation from the log row, saying so', () => {
    expect(trivialExplanationFromRow(row)).toMatchObject({
      mode: 'explicit',
      reason: 'requested',
      bucket: 'medium',
      chosen: 'openai/gpt-4o-mini',
      order: ['openai/gpt-4o-mini'],
      candidates: [{ model: 'openai/gpt-4o-mini', provider: 'openai', estimatedCostUsd: 0.0015 }],
      answeredBy: 'openai/gpt-4o-mini',
      keyId: 'key_1',
      recorded: false,
    })
  })
  test('nothing for a request that never reached a model, or an embeddings request', () => {
    expect(trivialExplanationFromRow({ ...row, model: null, provider: null, status: 400 })).toBeUndefined()
    expect(trivialExplanationFromRow({ ...row, endpoint: '/v1/embeddings' })).toBeUndefined()
    expect(trivialExplanationFromRow({ ...row, endpoint: '/v1/plan', parentRequestId: 'req_0', status: 502 })).toBeUndefined()
    expect(trivialExplanationFromRow({ ...row, endpoint: '/v1/plan', parentRequestId: 'req_0' })?.chosen).toBe('openai/gpt-4o-mini')
  })
})
