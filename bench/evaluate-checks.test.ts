import { describe, expect, test } from 'bun:test'
import type { BenchResults } from './bench-results.ts'
import { evaluateChecks } from './evaluate-checks.ts'

const load = (requestsPerSecond: number, errors = 0) => ({
  tool: 'wrk' as const,
  requestsPerSecond,
  p50Ms: 1,
  p99Ms: 2,
  requests: 1,
  errors,
})
const streams = {
  requested: 1_000,
  connected: 1_000,
  withFirstBytes: 1_000,
  failed: 0,
  secondsUntilAllFirstBytes: 1,
  rssBeforeMegabytes: 110,
  rssWithStreamsMegabytes: 123,
}

function results(rates: { proxy: number; switchyard: number; portkey: number; portkeyErrors?: number }): Omit<BenchResults, 'checks'> {
  return {
    date: '2026-11-22',
    quick: false,
    machine: { cpus: 2, cpuModel: 'test', platform: 'linux', bun: '1', node: null },
    loadTool: 'wrk',
    connections: 64,
    durationSeconds: 10,
    skipped: {},
    notes: [],
    throughput: {
      'minimal-proxy': load(rates.proxy),
      switchyard: load(rates.switchyard),
      portkey: load(rates.portkey, rates.portkeyErrors),
    },
    sequential: {},
    firstByte: {},
    streams: { default: streams },
  }
}

describe('evaluateChecks', () => {
  test('judges both throughput ratios and says what share of the minimal proxy the Portkey target needs', () => {
    const checks = evaluateChecks(results({ proxy: 34_000, switchyard: 22_000, portkey: 1_500 }))
    const versusProxy = checks.find((check) => check.name === 'throughput vs minimal proxy')
    const versusPortkey = checks.find((check) => check.name === 'throughput vs Portkey')
    expect(versusProxy).toMatchObject({ measured: '0.65×', pass: true })
    expect(versusPortkey).toMatchObject({ measured: '14.67×', pass: false })
    expect(versusPortkey?.note).toBe('the minimal proxy itself is 22.7× Portkey here, so 20× needs 0.88× the minimal proxy')
  })

  test('keeps the note about Portkey failures beside the headroom', () => {
    const checks = evaluateChecks(results({ proxy: 30_000, switchyard: 21_000, portkey: 1_000, portkeyErrors: 3 }))
    const versusPortkey = checks.find((check) => check.name === 'throughput vs Portkey')
    expect(versusPortkey).toMatchObject({ measured: '21.00×', pass: true })
    expect(versusPortkey?.note).toContain('30.0× Portkey here, so 20× needs 0.67× the minimal proxy')
    expect(versusPortkey?.note).toContain('Portkey had 3 failed requests')
  })
})
