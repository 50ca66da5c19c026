import { type BenchResults, type TargetName, targetNames } from './bench-results.ts'

const labels: Record<TargetName, string> = {
  direct: 'upstream (direct)',
  'minimal-proxy': 'minimal proxy (Bun)',
  switchyard: 'Switchyard',
  portkey: 'Portkey OSS (Node)',
}

/** One row per target, then one row per check with PASS/FAIL. */
export function formatResultsTable(results: BenchResults): string {
  const gatewayRate = results.throughput.switchyard?.requestsPerSecond
  const header = [
    'target',
    'req/s',
    'p50 ms',
    'p99 ms',
    'errors',
    'Switchyard ÷ target',
    'c=1 p50 ms',
    'added p50 (vs direct)',
    'TTFB p50 ms',
    'TTFB overhead',
    `RSS @${results.streams.default.requested} streams`,
  ]
  const rows = targetNames.map((name) => {
    const skipped = results.skipped[name]
    if (skipped != null) return [labels[name], `skipped: ${skipped}`]
    const load = results.throughput[name]
    const sequential = results.sequential[name]
    const firstByte = results.firstByte[name]
    const directSequential = results.sequential.direct?.p50Ms
    const directFirstByte = results.firstByte.direct?.p50Ms
    return [
      labels[name],
      fixed(load?.requestsPerSecond, 0),
      fixed(load?.p50Ms, 2),
      fixed(load?.p99Ms, 2),
      load == null ? '' : String(load.errors),
      gatewayRate == null || load == null || name === 'switchyard' ? '' : `${(gatewayRate / load.requestsPerSecond).toFixed(2)}×`,
      fixed(sequential?.p50Ms, 3),
      name === 'direct' || sequential == null || directSequential == null ? '' : `+${(sequential.p50Ms - directSequential).toFixed(3)} ms`,
      fixed(firstByte?.p50Ms, 3),
      name === 'direct' || firstByte == null || directFirstByte == null ? '' : `+${(firstByte.p50Ms - directFirstByte).toFixed(3)} ms`,
      name === 'switchyard' ? rssCell(results) : '',
    ]
  })
  const checkRows = results.checks.map((check) => [
    `${check.pass ? 'PASS' : 'FAIL'}  ${check.name}`,
    `${check.measured} (goal ${check.goal})${check.note == null ? '' : `; ${check.note}`}`,
  ])
  return [renderTable(header, rows), '', renderTable(['check', 'result'], checkRows)].join('\n')
}

function rssCell(results: BenchResults): string {
  const run = results.streams.default
  if (run.withFirstBytes === run.requested) return `${run.rssWithStreamsMegabytes.toFixed(1)} MB`
  const raised = results.streams.raisedFetchLimit
  const raisedText = raised == null ? '' : `; ${raised.rssWithStreamsMegabytes.toFixed(1)} MB with fetch limit raised`
  return `${run.withFirstBytes}/${run.requested} started${raisedText}`
}

function fixed(value: number | undefined, digits: number): string {
  return value == null || !Number.isFinite(value) ? '' : value.toFixed(digits)
}

function renderTable(header: string[], rows: string[][]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)))
  const line = (cells: string[]) => `| ${widths.map((width, column) => (cells[column] ?? '').padEnd(width)).join(' | ')} |`
  return [line(header), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...rows.map(line)].join('\n')
}
