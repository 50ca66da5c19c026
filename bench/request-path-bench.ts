/**
 * The gateway's own cost per chat request, in process and without the network: the real gateway
 * (auth, rate limits, routing, money hold and charge, request log and ledger on a SQLite file with
 * its write thread) answers POST /v1/chat/completions from a canned upstream, and this prints the
 * CPU time each thread spent per request. Far steadier than a load test on a shared machine, so
 * it is the tool for before/after comparisons of hot-path changes (docs/benchmarks.md).
 *
 *   ./node_modules/.bin/bun bench/request-path-bench.ts [--requests 200000] [--concurrency 32]
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pino from 'pino'
import { loadConfig } from '../src/config/load-config.ts'
import { startGateway } from '../src/start-gateway.ts'
import { readFlag } from './read-flag.ts'

const requests = Number(readFlag(process.argv, '--requests', '200000'))
// --baseline: the same requests through the least a proxy can do (parse, call, answer), for scale.
const baseline = process.argv.includes('--baseline')
const concurrency = Number(readFlag(process.argv, '--concurrency', '32'))
const adminToken = 'bench-admin-token-0123456789abcdef'
const completion = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created: 1_700_000_000,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the canned upstream!' }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 },
})
const jsonHeaders = { 'content-type': 'application/json' }
const cannedUpstream = async () => new Response(completion, { headers: jsonHeaders })

const directory = mkdtempSync(join(tmpdir(), 'switchyard-path-bench-'))
const config = loadConfig({
  env: {
    SWITCHYARD_ADMIN_TOKEN: adminToken,
    OPENAI_API_KEY: 'sk-bench',
    OPENAI_BASE_URL: 'http://upstream.invalid/v1',
    SWITCHYARD_RATE_LIMIT_BURST_RPS: '1000000000',
  },
  flags: { config: undefined, db: `sqlite:${join(directory, 'bench.db')}`, port: 0, host: '127.0.0.1' },
  cwd: directory,
})
const gateway = await startGateway(config, {
  logger: pino({ level: 'warn' }),
  announce: () => {},
  fetchUpstream: () => cannedUpstream(),
})

async function admin<T>(path: string, body: unknown): Promise<T> {
  const response = await gateway.handle(
    new Request(`http://bench${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  )
  if (response.status !== 201) throw new Error(`${path}: ${response.status} ${await response.text()}`)
  return (await response.json()) as T
}
const user = await admin<{ id: string }>('/api/v1/admin/users', { email: 'bench@example.com' })
await admin('/api/v1/admin/credits', { user_id: user.id, amount_usd: 1_000_000, note: 'bench' })
const { raw } = await admin<{ raw: string }>('/api/v1/admin/keys', { name: 'bench', user_id: user.id })

const body = JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Say hello in five words.' }] })
const requestHeaders = { authorization: `Bearer ${raw}`, 'content-type': 'application/json', 'content-length': String(body.length) }
async function minimalProxy(request: Request): Promise<Response> {
  const parsed = await request.json()
  const upstream = await cannedUpstream()
  void parsed
  return Response.json(await upstream.json())
}
const handle = baseline ? minimalProxy : (request: Request) => gateway.handle(request)

async function worker(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const response = await handle(
      new Request('http://bench/v1/chat/completions', { method: 'POST', headers: requestHeaders, body }),
    )
    if (response.status !== 200) throw new Error(`status ${response.status}: ${await response.text()}`)
    await response.text()
  }
}

/** CPU ticks (1/100 s) per thread of this process, by thread name. */
function threadTicks(): Map<string, number> {
  const ticks = new Map<string, number>()
  for (const id of readdirSync('/proc/self/task')) {
    const stat = readFileSync(`/proc/self/task/${id}/stat`, 'utf8')
    const name = id === String(process.pid) ? 'main' : stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    ticks.set(name, (ticks.get(name) ?? 0) + Number(fields[11]) + Number(fields[12]))
  }
  return ticks
}

async function run(count: number) {
  await Promise.all(Array.from({ length: concurrency }, () => worker(Math.ceil(count / concurrency))))
}
await run(Math.min(requests, 20_000))
const before = threadTicks()
const started = performance.now()
await run(requests)
const elapsedMs = performance.now() - started
// The ledger and request log are written in batches: wait for the last ones, so their cost counts.
await Bun.sleep(500)
const after = threadTicks()
const perRequest = (ticks: number) => ((ticks * 10_000) / requests).toFixed(1)
const parts = [...after]
  .map(([name, ticks]) => [name, ticks - (before.get(name) ?? 0)] as const)
  .filter(([, ticks]) => ticks > 0)
  .sort((a, b) => b[1] - a[1])
const total = parts.reduce((sum, [, ticks]) => sum + ticks, 0)
console.log(`${requests} requests at concurrency ${concurrency}: ${((elapsedMs * 1000) / requests).toFixed(1)} µs wall per request`)
console.log(`CPU per request: ${perRequest(total)} µs (${parts.map(([name, ticks]) => `${name} ${perRequest(ticks)}`).join(', ')})`)
await gateway.stop()
rmSync(directory, { recursive: true, force: true })
