import { buildCatalog } from '../src/catalog/build-catalog.ts'
import { loadConfig } from '../src/config/load-config.ts'
import { createChatRouter } from '../src/pipeline/route-chat-request.ts'
import { classifyPrompt } from '../src/routing/classifier/classify-prompt.ts'
import { loadRouterModel } from '../src/routing/classifier/load-router-model.ts'
import routerModelJson from '../src/routing/classifier/router-model.json'
import { buildModelRegistry } from '../src/routing/model-registry.ts'
import { createBanditMemory } from '../src/routing/thompson-bandit.ts'
import { percentile } from './percentile.ts'
import { twoThousandTokenPrompt } from './two-thousand-token-prompt.ts'

/**
 * The auto-router's cost for a ~2,000-token (~8,000-character) prompt: the classifier alone
 * (budget: p99 < 50 µs) and the whole routing decision (directive scan, estimate, classifier,
 * constraints, scoring over every built-in model of five providers).
 *
 *   ./node_modules/.bin/bun bench/auto-router-bench.ts
 *
 * The machine is shared, so one long run is at the mercy of a neighbour's burst: the bench runs
 * several rounds after a warm-up and a forced GC, and reports each round plus the median of the
 * rounds' p99 (the figure to compare with the budget).
 */
const rounds = 7
const iterationsPerRound = 10_000
const warmupIterations = 5_000

const prompt = twoThousandTokenPrompt()

const classifier = loadRouterModel(routerModelJson)
const config = loadConfig({
  env: { OPENAI_API_KEY: 'x', ANTHROPIC_API_KEY: 'x', GEMINI_API_KEY: 'x', DEEPSEEK_API_KEY: 'x', MISTRAL_API_KEY: 'x' },
  flags: { db: 'sqlite::memory:' },
})
const catalog = buildCatalog({ providers: config.providers, models: config.models, aliases: config.aliases })
const registry = buildModelRegistry(catalog.models)
const router = createChatRouter({
  catalog,
  registry: () => registry,
  classifier,
  bandit: createBanditMemory(),
  random: Math.random,
  now: () => performance.now(),
})
const request = {
  model: 'router',
  messages: [
    { role: 'system' as const, content: 'You are a senior engineer.' },
    { role: 'user' as const, content: prompt },
  ],
}

function measure(name: string, run: () => number): void {
  let checksum = 0
  for (let index = 0; index < warmupIterations; index++) checksum += run()
  const p99s: number[] = []
  const lines: string[] = []
  for (let round = 0; round < rounds; round++) {
    Bun.gc(true)
    const timings = new Float64Array(iterationsPerRound)
    for (let index = 0; index < iterationsPerRound; index++) {
      const started = Bun.nanoseconds()
      checksum += run()
      timings[index] = (Bun.nanoseconds() - started) / 1_000
    }
    const p50 = percentile(timings, 50)
    const p99 = percentile(timings, 99)
    p99s.push(p99)
    lines.push(`p50 ${p50.toFixed(1)} / p99 ${p99.toFixed(1)}`)
  }
  p99s.sort((left, right) => left - right)
  console.log(
    `${name}: median-of-rounds p99 ${(p99s[Math.floor(rounds / 2)] ?? 0).toFixed(1)} µs  [${lines.join('; ')} µs] (checksum ${checksum.toFixed(0)})`,
  )
}

console.log(`prompt: ${prompt.length} chars (~${Math.round(prompt.length / 4)} tokens); ${registry.models.length} routable models`)
measure('classifyPrompt', () => classifyPrompt(prompt, classifier).score)
measure('full auto-route decision', () => router.route(request, {}).candidates.length)
