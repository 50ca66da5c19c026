/**
 * `npm run bench` (add `-- --quick` for a short smoke run). Starts a fast local upstream, Switchyard,
 * a minimal Bun proxy and Portkey's OSS gateway, all on 127.0.0.1, and measures them side by side:
 * throughput at 64 connections, added latency at concurrency 1, streaming time to first byte, and
 * Switchyard's RSS with 1,000 open streams. Prints one table and writes bench/results/latest.json.
 * See docs/benchmarks.md.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import type { BenchResults, LatencySummary, TargetName } from './bench-results.ts'
import { createChildProcesses } from './child-processes.ts'
import { evaluateChecks } from './evaluate-checks.ts'
import { formatResultsTable } from './format-results-table.ts'
import { type LoadResult, pickLoadTool, runLoad } from './load.ts'
import type { OpenStreamsResult } from './open-streams.ts'
import { percentile } from './percentile.ts'
import { raiseFileLimit } from './raise-file-limit.ts'
import { type RunningServer, startFastUpstream, startMinimalProxy, startPortkey, startSwitchyard } from './start-targets.ts'
import { type TimedTarget, timeSequentialRequests } from './time-sequential-requests.ts'

const quick = process.argv.includes('--quick')
const plan = quick
  ? { warmupSeconds: 1, durationSeconds: 3, loadRounds: 1, sequentialRequests: 1_000, firstByteRequests: 300, streamWaitMs: 10_000 }
  : { warmupSeconds: 2, durationSeconds: 10, loadRounds: 2, sequentialRequests: 5_000, firstByteRequests: 2_000, streamWaitMs: 15_000 }
const connections = 64
const openStreamCount = 1_000
const streamHoldMs = 30_000
const overallTimeoutMs = 6 * 60_000

const workDirectory = mkdtempSync(join(tmpdir(), 'switchyard-bench-'))
const children = createChildProcesses({ logDirectory: workDirectory })

async function shutDown(exitCode: number): Promise<never> {
  await children.stopAll()
  if (exitCode === 0) rmSync(workDirectory, { recursive: true, force: true })
  else console.error(`Logs kept in ${workDirectory}`)
  process.exit(exitCode)
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void shutDown(130))
setTimeout(() => {
  console.error(`The benchmark exceeded ${overallTimeoutMs / 60_000} minutes; stopping.`)
  void shutDown(1)
}, overallTimeoutMs).unref()

try {
  const results = await runBench()
  console.log(`\n${formatResultsTable(results)}\n`)
  for (const note of results.notes) console.log(`Note: ${note}`)
  const resultsDirectory = join(import.meta.dir, 'results')
  mkdirSync(resultsDirectory, { recursive: true })
  writeFileSync(join(resultsDirectory, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`)
  console.log(`Results written to bench/results/latest.json${quick ? ' (quick run: short durations, noisier figures)' : ''}.`)
  await shutDown(0)
} catch (error) {
  console.error(error instanceof Error ? (error.stack ?? error.message) : error)
  await shutDown(1)
}

async function runBench(): Promise<BenchResults> {
  const loadTool = pickLoadTool()
  log(`Load generator: ${loadTool}; ${quick ? 'quick run' : 'full run'}; logs in ${workDirectory}`)
  const upstream = await startFastUpstream(children)
  const minimalProxy = await startMinimalProxy(children, upstream)
  const switchyard = await startSwitchyard({ children, upstream, workDirectory, name: 'switchyard' })
  const portkey = await startPortkey(children)
  const skipped: BenchResults['skipped'] = {}
  const notes: string[] = []
  if ('skipped' in portkey) skipped.portkey = portkey.skipped

  const chatBody = { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello in five words.' }] }
  const json = { 'content-type': 'application/json' }
  const targets = new Map<TargetName, Omit<TimedTarget, 'body' | 'share'> & { share: number }>([
    ['direct', { name: 'direct', url: `${upstream.baseUrl}/chat/completions`, headers: json, share: 1 }],
    ['minimal-proxy', { name: 'minimal-proxy', url: `${minimalProxy.baseUrl}/chat/completions`, headers: json, share: 1 }],
    [
      'switchyard',
      {
        name: 'switchyard',
        url: `${switchyard.baseUrl}/chat/completions`,
        headers: { ...json, authorization: `Bearer ${switchyard.apiKey}` },
        share: 1,
      },
    ],
  ])
  if (!('skipped' in portkey)) {
    const headers = {
      ...json,
      authorization: 'Bearer anything',
      'x-portkey-provider': 'openai',
      'x-portkey-custom-host': upstream.baseUrl,
    }
    // Portkey takes ~3 ms a request at c=1; fewer samples keep the run short without losing the median.
    targets.set('portkey', { name: 'portkey', url: `${portkey.baseUrl}/chat/completions`, headers, share: 0.25 })
  }
  for (const [name, target] of targets) {
    const problem = await checkAnswers(target.url, target.headers, JSON.stringify(chatBody))
    if (problem == null) continue
    if (name !== 'portkey') throw new Error(`${name} does not answer correctly: ${problem}`)
    skipped.portkey = problem
    targets.delete(name)
  }

  const throughput: BenchResults['throughput'] = {}
  const loadOptions = (target: { url: string; headers: Record<string, string> }) => ({
    url: target.url,
    headers: target.headers,
    body: JSON.stringify(chatBody),
    connections,
  })
  for (const target of targets.values()) await runLoad(loadTool, { ...loadOptions(target), durationSeconds: plan.warmupSeconds })
  // Rounds alternate between targets, so that drift on a shared machine does not favour one of them.
  const roundSeconds = plan.durationSeconds / plan.loadRounds
  const rounds = new Map<TargetName, LoadResult[]>()
  for (let round = 1; round <= plan.loadRounds; round++) {
    for (const [name, target] of targets) {
      log(`Throughput round ${round}/${plan.loadRounds}: ${name} (${roundSeconds} s at ${connections} connections)…`)
      const result = await runLoad(loadTool, { ...loadOptions(target), durationSeconds: roundSeconds })
      log(`  ${describeLoad(result)}`)
      rounds.set(name, [...(rounds.get(name) ?? []), result])
    }
  }
  for (const [name, results] of rounds) throughput[name] = combineRounds(results)

  log(`Latency at concurrency 1: ${plan.sequentialRequests} sequential requests per target…`)
  const sequential = summarize(
    await timeSequentialRequests({
      targets: [...targets.values()].map((target) => ({ ...target, body: JSON.stringify(chatBody) })),
      mode: 'full-response',
      requestsPerTarget: plan.sequentialRequests,
      rounds: 10,
      warmupRequests: 300,
    }),
  )
  const streamBody = JSON.stringify({ ...chatBody, stream: true })
  const streamTargets: TimedTarget[] = []
  for (const [name, target] of targets) {
    const problem = await checkAnswers(target.url, target.headers, streamBody)
    if (problem == null) streamTargets.push({ ...target, body: streamBody })
    else if (name === 'portkey') notes.push(`Portkey's streaming answers fail here, so it has no TTFB figure: ${problem}`)
    else throw new Error(`${name} does not stream correctly: ${problem}`)
  }
  log(`Streaming time to first byte: ${plan.firstByteRequests} sequential streams per target…`)
  const firstByte = summarize(
    await timeSequentialRequests({
      targets: streamTargets,
      mode: 'first-byte',
      requestsPerTarget: plan.firstByteRequests,
      rounds: 10,
      warmupRequests: 100,
    }),
  )

  log(`Memory: ${openStreamCount} open streams through Switchyard…`)
  const defaultStreams = await openStreams(switchyard, switchyard.child.pid)
  log(`  ${describeStreams(defaultStreams)}`)
  let raisedFetchLimit: OpenStreamsResult | undefined
  if (defaultStreams.withFirstBytes < openStreamCount) {
    // Bun's fetch allows 256 requests in flight unless BUN_CONFIG_MAX_HTTP_REQUESTS says otherwise.
    log('  Not every stream started; again on a fresh Switchyard with BUN_CONFIG_MAX_HTTP_REQUESTS=4096…')
    await children.stop(switchyard.child)
    const raised = await startSwitchyard({
      children,
      upstream,
      workDirectory,
      name: 'switchyard-raised-fetch-limit',
      extraEnv: { BUN_CONFIG_MAX_HTTP_REQUESTS: '4096' },
    })
    raisedFetchLimit = await openStreams(raised, raised.child.pid)
    log(`  ${describeStreams(raisedFetchLimit)}`)
  }

  const partial: Omit<BenchResults, 'checks'> = {
    date: new Date().toISOString(),
    quick,
    machine: {
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      platform: `${process.platform} ${process.arch}`,
      bun: Bun.version,
      node: await nodeVersion(),
    },
    loadTool,
    connections,
    durationSeconds: plan.durationSeconds,
    skipped,
    notes,
    throughput,
    sequential,
    firstByte,
    streams: { default: defaultStreams, ...(raisedFetchLimit == null ? {} : { raisedFetchLimit }) },
  }
  return { ...partial, checks: evaluateChecks(partial) }
}

/** One request to a target; the problem in words when it does not give a chat completion (or an SSE stream). */
async function checkAnswers(url: string, headers: Record<string, string>, body: string): Promise<string | undefined> {
  try {
    const response = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) })
    const text = await response.text()
    const expected = body.includes('"stream":true') ? 'data: ' : '"choices"'
    if (response.status !== 200 || !text.includes(expected)) return `HTTP ${response.status}: ${text.slice(0, 200)}`
    return undefined
  } catch (error) {
    return (error as Error).message
  }
}

async function openStreams(gateway: RunningServer & { apiKey: string }, pid: number): Promise<OpenStreamsResult> {
  const port = new URL(gateway.baseUrl).port
  const command = [
    process.execPath,
    join(import.meta.dir, 'open-streams.ts'),
    ...['--port', port, '--key', gateway.apiKey, '--count', String(openStreamCount), '--pid', String(pid)],
    ...['--wait-ms', String(plan.streamWaitMs), '--hold-ms', String(streamHoldMs)],
  ]
  const subprocess = Bun.spawn(raiseFileLimit(command), { stdout: 'pipe', stderr: 'pipe', timeout: plan.streamWaitMs + 30_000 })
  const [output, errorOutput, exitCode] = await Promise.all([
    new Response(subprocess.stdout).text(),
    new Response(subprocess.stderr).text(),
    subprocess.exited,
  ])
  const lastLine = output.trim().split('\n').at(-1) ?? ''
  if (exitCode !== 0 || !lastLine.startsWith('{')) throw new Error(`open-streams failed (${exitCode}): ${errorOutput || output}`)
  return JSON.parse(lastLine) as OpenStreamsResult
}

/** Rounds of one target as one result: rate over all rounds, mean p50, worst p99. */
function combineRounds(results: readonly LoadResult[]): LoadResult {
  const first = results[0]
  if (first == null) throw new Error('no load rounds')
  const requests = results.reduce((sum, result) => sum + result.requests, 0)
  return {
    tool: first.tool,
    requestsPerSecond: results.reduce((sum, result) => sum + result.requestsPerSecond, 0) / results.length,
    p50Ms: results.reduce((sum, result) => sum + result.p50Ms, 0) / results.length,
    p99Ms: Math.max(...results.map((result) => result.p99Ms)),
    requests,
    errors: results.reduce((sum, result) => sum + result.errors, 0),
  }
}

function summarize(samples: Map<string, Float64Array>): Partial<Record<TargetName, LatencySummary>> {
  const summary: Partial<Record<TargetName, LatencySummary>> = {}
  for (const [name, values] of samples) {
    summary[name as TargetName] = { samples: values.length, p50Ms: percentile(values, 50) / 1_000, p99Ms: percentile(values, 99) / 1_000 }
  }
  return summary
}

async function nodeVersion(): Promise<string | null> {
  if (Bun.which('node') == null) return null
  const subprocess = Bun.spawn(['node', '--version'], { stdout: 'pipe' })
  return (await new Response(subprocess.stdout).text()).trim()
}

function describeLoad(result: LoadResult | undefined): string {
  if (result == null) return 'no result'
  return `${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, ${result.errors} errors`
}

function describeStreams(result: OpenStreamsResult): string {
  const seconds = result.secondsUntilAllFirstBytes == null ? 'not all' : `all in ${result.secondsUntilAllFirstBytes.toFixed(2)} s`
  return `${result.withFirstBytes}/${result.requested} streams got first bytes (${seconds}), ${result.failed} failed; RSS ${result.rssBeforeMegabytes.toFixed(1)} → ${result.rssWithStreamsMegabytes.toFixed(1)} MB`
}

function log(line: string) {
  console.log(line)
}
