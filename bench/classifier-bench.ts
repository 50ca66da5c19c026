import { classifyPrompt } from '../src/routing/classifier/classify-prompt.ts'
import { loadRouterModel } from '../src/routing/classifier/load-router-model.ts'
import routerModelJson from '../src/routing/classifier/router-model.json'
import { twoThousandTokenPrompt } from './two-thousand-token-prompt.ts'

/**
 * Times classifyPrompt on a ~2,000-token (~8,000-character) prompt. The budget is < 50 µs at
 * p99 (PRODUCT.md §3: routing must stay well under a millisecond).
 *
 *   ./node_modules/.bin/bun bench/classifier-bench.ts
 */

const warmupIterations = 2_000
const measuredIterations = 20_000

const prompt = twoThousandTokenPrompt()

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
