import { createApiKeyAuthenticator } from '../src/accounts/api-key-authenticator.ts'
import { createApiKeyService } from '../src/accounts/api-key-service.ts'
import { loadTokenCounter } from '../src/accounts/money/count-prompt-tokens.ts'
import { createSpendGate } from '../src/accounts/money/create-spend-gate.ts'
import { createMemorySpendLedger } from '../src/accounts/money/memory-spend-ledger.ts'
import { buildCatalog } from '../src/catalog/build-catalog.ts'
import { loadConfig } from '../src/config/load-config.ts'
import type { RequestContext } from '../src/pipeline/pipeline-types.ts'
import type { ChatRequest } from '../src/protocol/openai-chat-types.ts'
import { createSqliteStore } from '../src/store/sqlite/sqlite-store.ts'
import { percentile } from './percentile.ts'

/**
 * Times the gateway's admission in memory mode, per request: the cached key lookup (SHA-256 of
 * the raw key + map), the allowed-model check, counting the prompt's tokens with the real
 * tokenizer, the worst-case price and the reservation against balance, key ceiling and monthly
 * budget, then the settle (which queues the ledger row; the batched write is off the request
 * path). Target: ≤ 100 µs at p50.
 *
 *   ./node_modules/.bin/bun bench/admission-bench.ts
 */

const warmupIterations = 5_000
const measuredIterations = 50_000

const store = createSqliteStore(':memory:')
await store.migrate()
await store.users.insert({ id: 'usr_bench', email: 'bench@example.com', passwordHash: null, createdAt: Date.now() })
const ledger = createMemorySpendLedger({ store })
await ledger.credit({
  userId: 'usr_bench',
  amountMicros: 1_000_000_000_000,
  note: 'bench',
  idempotencyKey: 'bench',
  actor: 'bench',
  requestId: 'bench',
})
const authenticator = createApiKeyAuthenticator({ store })
const keys = createApiKeyService({ store, authenticator })
const created = await keys.create(
  {
    userId: 'usr_bench',
    name: 'bench',
    scopes: ['chat'],
    limitMicros: 1_000_000_000_000,
    monthlyBudgetMicros: 1_000_000_000_000,
    allowedModels: ['openai/*'],
  },
  { actor: 'bench', requestId: 'bench' },
)
const config = loadConfig({ env: { OPENAI_API_KEY: 'sk-bench' }, flags: { config: undefined }, cwd: '/' })
const catalog = buildCatalog({ providers: config.providers, models: config.models, aliases: config.aliases })
const model = catalog.resolve('openai/gpt-4o-mini')
if (model == null) throw new Error('the catalogue has no model')
const gate = createSpendGate({ ledger, loadCountTokens: loadTokenCounter, unpricedCeilingMicros: undefined, now: Date.now })

// A typical short chat request: a system prompt and a question, about 60 tokens.
const request: ChatRequest = {
  model: model.id,
  max_tokens: 512,
  messages: [
    { role: 'system', content: 'You are a concise assistant for a software team. Answer in at most three sentences.' },
    { role: 'user', content: 'What is the difference between a mutex and a semaphore, and when would I use each one in a web server?' },
  ],
}

let sequence = 0
async function admitOnce(): Promise<void> {
  const apiKey = await authenticator.authenticate(created.raw)
  const context: RequestContext = {
    requestId: `req_bench_${sequence++}`,
    keyId: apiKey.id,
    endpoint: '/v1/chat/completions',
    signal: AbortSignal.abort(),
    startedAt: 0,
    apiKey,
  }
  const hold = await gate.reserveChat(request, [model as NonNullable<typeof model>], context)
  hold.settle(1, model?.id ?? '')
}

for (let iteration = 0; iteration < warmupIterations; iteration++) await admitOnce()
await ledger.flush()
const timings = new Float64Array(measuredIterations)
for (let iteration = 0; iteration < measuredIterations; iteration++) {
  const started = Bun.nanoseconds()
  await admitOnce()
  timings[iteration] = (Bun.nanoseconds() - started) / 1_000
  if (iteration % 5_000 === 0) await ledger.flush() // the batched writer's work, outside the timed part
}
await ledger.close()
const [balance] = [await store.money.account('usr_bench')]

console.log(
  `admission (cached auth + allowed models + tokenize + reserve + settle), memory mode, ${measuredIterations} iterations, model ${model.id}:`,
)
console.log(
  `  p50 ${percentile(timings, 50).toFixed(1)} µs   p90 ${percentile(timings, 90).toFixed(1)} µs   p99 ${percentile(timings, 99).toFixed(1)} µs`,
)
console.log(`  ledger rows written: ${(await store.money.ledger({ limit: 1_000_000 })).length - 1}, balance ${balance?.balanceMicros} µ$`)
console.log(`  target p50 ≤ 100 µs: ${percentile(timings, 50) <= 100 ? 'met' : 'NOT met'}`)
await store.close()
