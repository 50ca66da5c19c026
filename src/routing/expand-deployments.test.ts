import { describe, expect, test } from 'bun:test'
import { catalogModelFixture } from '../catalog/catalog-model-fixture.ts'
import type { CatalogModel } from '../catalog/catalog-types.ts'
import { expandDeployments } from './expand-deployments.ts'

const model = (id: string): CatalogModel => catalogModelFixture(id)

const gpt = model('openai/gpt-4o')
const azure = model('azure/gpt-4o')
const router = model('openrouter/gpt-4o')
const claude = model('anthropic/claude')
const alternates = (id: string) => (id === gpt.id ? [azure, router] : id === claude.id ? [gpt] : [])

describe('expandDeployments', () => {
  test('each model is followed by its other deployments, without duplicates', () => {
    expect(expandDeployments([gpt, claude], alternates, {}, undefined, () => 0).map((entry) => entry.id)).toEqual([
      'openai/gpt-4o',
      'azure/gpt-4o',
      'openrouter/gpt-4o',
      'anthropic/claude',
    ])
  })

  test('unavailable deployments go last; provider only/ignore filter alternates', () => {
    const health = { stats: () => undefined, isAvailable: (id: string) => id !== 'openai/gpt-4o' }
    expect(expandDeployments([gpt], alternates, {}, health, () => 0).map((entry) => entry.id)).toEqual([
      'azure/gpt-4o',
      'openrouter/gpt-4o',
      'openai/gpt-4o',
    ])
    expect(expandDeployments([gpt], alternates, { provider: { ignore: ['openrouter'] } }, undefined, () => 0).map((entry) => entry.id)).toEqual([
      'openai/gpt-4o',
      'azure/gpt-4o',
    ])
  })
})
