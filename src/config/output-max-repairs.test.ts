import { expect, test } from 'bun:test'
import { ConfigError, loadConfig } from './load-config.ts'

test('SWITCHYARD_OUTPUT_MAX_REPAIRS: default 2, 0–5 accepted, anything else stops start-up', () => {
  const load = (value?: string) => loadConfig({ env: value == null ? {} : { SWITCHYARD_OUTPUT_MAX_REPAIRS: value }, cwd: '/nonexistent' })
  expect(load().outputMaxRepairs).toBe(2)
  expect(load('0').outputMaxRepairs).toBe(0)
  expect(load('5').outputMaxRepairs).toBe(5)
  expect(() => load('6')).toThrow(ConfigError)
  expect(() => load('two')).toThrow(/SWITCHYARD_OUTPUT_MAX_REPAIRS/)
})
