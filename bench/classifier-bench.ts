import { classifyPrompt } from '../src/routing/classifier/classify-prompt.ts'
import { loadRouterModel } from '../src/routing/classifier/load-router-model.ts'
import routerModelJson from '../src/routing/classifier/router-model.json'

/**
 * Times classifyPrompt on a ~2,000-token (~8,000-character) prompt. The budget is < 50 µs at
 * p99 (PRODUCT.md §3: routing must stay well under a millisecond).
 *
 *   ./node_modules/.bin/bun bench/classifier-bench.ts
 */

const warmupIterations = 2_000
const measuredIterations = 20_000

const paragraphs = [
  'We are migrating a distributed job scheduler from a single Postgres queue to a sharded design.',
  'First, explain the failure modes of the current architecture, then propose three alternatives',
  'and compare their throughput under 12,000 jobs per second with at most 250 ms of added latency.',
  '```ts\nexport async function claimJob(db: Db, worker: string): Promise<Job | null> {\n',
  '  const row = await db.query("SELECT * FROM jobs WHERE state = $1 LIMIT 1", ["ready"])\n',
  '  return row === undefined ? null : { id: row.id, payload: JSON.parse(row.payload) }\n}\n```',
  'Prove that the lease protocol never hands the same job to two workers, step by step, and',
  'derive the expected number of retries when each worker fails with probability p = 0.03.',
  'Format the answer as markdown with a table of trade-offs. Do not use external services.',
]
let prompt = ''
for (let index = 0; prompt.length < 8_000; index++) {
  prompt += `${paragraphs[index % paragraphs.length]} (${index})\n`
}

const model = loadRouterModel(routerModelJson)
let checksum = 0
for (let iteration = 0; iteration < warmupIterations; iteration++) {
  checksum += classifyPrompt(prompt, model).score
}
const timings = new Float64Array(measuredIterations)
for (let iteration = 0; iteration < measuredIterations; iteration++) {
  const started = Bun.nanoseconds()
  checksum += classifyPrompt(prompt, model).score
  timings[iteration] = (Bun.nanoseconds() - started) / 1_000
}
timings.sort()
const at = (fraction: number): string => (timings[Math.min(timings.length - 1, Math.floor(fraction * timings.length))] ?? 0).toFixed(1)
const result = classifyPrompt(prompt, model)
console.log(
  `classifyPrompt on ${prompt.length} chars (~${Math.round(prompt.length / 4)} tokens), ` +
    `${measuredIterations} iterations: p50 ${at(0.5)} µs, p99 ${at(0.99)} µs, max ${at(1)} µs ` +
    `(tier ${result.tier}, score ${result.score.toFixed(3)}, checksum ${checksum.toFixed(1)})`,
)
