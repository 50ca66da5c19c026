import { describe, expect, test } from 'bun:test'
import { loadRouterModel, type RouterModelFile } from './load-router-model.ts'
import routerModelJson from './router-model.json'

const shipped = routerModelJson as RouterModelFile
const clone = (): RouterModelFile => structuredClone(shipped)

describe('loadRouterModel', () => {
  test('accepts the shipped model, which stays under 300 KB', async () => {
    const model = loadRouterModel(shipped)
    expect(model.hashedWeights.length).toBe(1 << model.hashBits)
    const size = (await Bun.file(new URL('./router-model.json', import.meta.url)).text()).length
    expect(size).toBeLessThan(300 * 1024)
  })

  test('rejects malformed files', () => {
    const cases: Array<[string, unknown]> = [
      ['not an object', 'router'],
      ['null', null],
      ['wrong version', { ...clone(), formatVersion: 2 }],
      ['bad hashBits', { ...clone(), hashBits: 40 }],
      ['short weights', { ...clone(), hashedWeights: [0, 1] }],
      ['non-number weight', { ...clone(), hashedWeights: clone().hashedWeights.map(() => 'x') }],
      ['NaN bias', { ...clone(), bias: Number.NaN }],
      ['renamed feature', { ...clone(), hand: { ...clone().hand, names: ['x', ...clone().hand.names.slice(1)] } }],
      ['zero scale', { ...clone(), hand: { ...clone().hand, scale: clone().hand.scale.map(() => 0) } }],
      ['unordered tiers', { ...clone(), tierThresholds: { medium: 0.5, complex: 0.2, reasoning: 0.9 } }],
      ['missing tiers', { ...clone(), tierThresholds: undefined }],
    ]
    for (const [name, file] of cases) {
      expect(() => loadRouterModel(file), name).toThrow(/invalid router model/)
    }
  })
})
