import { join } from 'node:path'

export type LoadTool = 'wrk' | 'autocannon'

export type LoadResult = {
  tool: LoadTool
  requestsPerSecond: number
  p50Ms: number
  p99Ms: number
  requests: number
  /** Non-2xx answers plus socket errors and timeouts. */
  errors: number
}

export type LoadOptions = {
  url: string
  /** Extra headers; the JSON content type is always sent, so a `content-type` here is dropped. */
  headers: Record<string, string>
  body: string
  connections: number
  durationSeconds: number
}

const benchDirectory = import.meta.dir
const autocannonCli = join(benchDirectory, '..', 'node_modules', 'autocannon', 'autocannon.js')

/** wrk with one thread when it is installed (lighter on a 2-core box), else autocannon under Node. */
export function pickLoadTool(): LoadTool {
  return Bun.which('wrk') != null ? 'wrk' : 'autocannon'
}

/** Drives one target with a fixed number of keep-alive connections for a fixed time. */
export async function runLoad(tool: LoadTool, options: LoadOptions): Promise<LoadResult> {
  return tool === 'wrk' ? runWrk(options) : runAutocannon(options)
}

async function runWrk(options: LoadOptions): Promise<LoadResult> {
  const headerFlags = extraHeaders(options).flatMap(([name, value]) => ['-H', `${name}: ${value}`])
  const command = [
    'wrk',
    '-t1',
    `-c${options.connections}`,
    `-d${options.durationSeconds}s`,
    '--timeout',
    '5s',
    '--latency',
    '-s',
    join(benchDirectory, 'wrk-post.lua'),
    ...headerFlags,
    options.url,
  ]
  const output = await runCommand(command, { WRK_BODY: options.body }, options.durationSeconds)
  const requestsPerSecond = Number(/Requests\/sec:\s+([\d.]+)/.exec(output)?.[1])
  const requests = Number(/(\d+) requests in/.exec(output)?.[1])
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(output)?.[1] ?? 0)
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output)
  const socketErrorCount = socketErrors == null ? 0 : socketErrors.slice(1).reduce((sum, count) => sum + Number(count), 0)
  const result = {
    tool: 'wrk' as const,
    requestsPerSecond,
    p50Ms: wrkLatencyMs(output, '50%'),
    p99Ms: wrkLatencyMs(output, '99%'),
    requests,
    errors: non2xx + socketErrorCount,
  }
  if (!Number.isFinite(requestsPerSecond)) throw new Error(`could not read wrk's output:\n${output}`)
  return result
}

function wrkLatencyMs(output: string, label: string): number {
  const match = new RegExp(`^\\s+${label}\\s+([\\d.]+)(us|ms|s)\\s*$`, 'm').exec(output)
  if (match == null) return Number.NaN
  const value = Number(match[1])
  return match[2] === 'us' ? value / 1_000 : match[2] === 's' ? value * 1_000 : value
}

async function runAutocannon(options: LoadOptions): Promise<LoadResult> {
  const headerFlags = extraHeaders(options).flatMap(([name, value]) => ['-H', `${name}=${value}`])
  const command = [
    'node',
    autocannonCli,
    '-c',
    String(options.connections),
    '-d',
    String(options.durationSeconds),
    '-m',
    'POST',
    '-H',
    'content-type=application/json',
    ...headerFlags,
    '-b',
    options.body,
    '-j',
    options.url,
  ]
  const report = JSON.parse(await runCommand(command, {}, options.durationSeconds)) as {
    requests: { average: number; total: number }
    latency: { p50: number; p99: number }
    non2xx: number
    errors: number
    timeouts: number
  }
  return {
    tool: 'autocannon',
    requestsPerSecond: report.requests.average,
    p50Ms: report.latency.p50,
    p99Ms: report.latency.p99,
    requests: report.requests.total,
    errors: report.non2xx + report.errors + report.timeouts,
  }
}

// A second Content-Type line makes some servers (Portkey) refuse every request with a 400.
function extraHeaders(options: LoadOptions): Array<[string, string]> {
  return Object.entries(options.headers).filter(([name]) => name.toLowerCase() !== 'content-type')
}

async function runCommand(command: string[], env: Record<string, string>, durationSeconds: number): Promise<string> {
  const subprocess = Bun.spawn(command, {
    env: { ...process.env, ...env },
    stdout: 'pipe',
    stderr: 'pipe',
    // A load run that hangs is killed rather than stalling the whole benchmark.
    timeout: (durationSeconds + 30) * 1_000,
  })
  const [output, errorOutput, exitCode] = await Promise.all([
    new Response(subprocess.stdout).text(),
    new Response(subprocess.stderr).text(),
    subprocess.exited,
  ])
  if (exitCode !== 0) throw new Error(`${command[0]} exited with ${exitCode}: ${errorOutput || output}`)
  return output
}
