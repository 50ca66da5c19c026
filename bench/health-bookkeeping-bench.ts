import { type AttemptRecord, summarizeAttempts } from '../src/pipeline/attempt-record.ts'
import { defaultHealthSettings } from '../src/routing/health/health-settings.ts'
import { HealthTracker } from '../src/routing/health/health-tracker.ts'

/**
 * The reliability layer's own cost per request on the success path: admit the call, record its
 * outcome (breaker, window, averages) and build the `x-switchyard-attempts` header.
 *
 *   ./node_modules/.bin/bun bench/health-bookkeeping-bench.ts
 */

const iterations = 200_000
const now = () => performance.timeOrigin + performance.now()
const tracker = new HealthTracker(defaultHealthSettings, now)
const deployments = ['openai/gpt-4o-mini', 'anthropic/claude-haiku-4-5', 'gemini/gemini-2.5-flash']

function oneRequest(index: number): string {
  const id = deployments[index % deployments.length] ?? 'openai/gpt-4o-mini'
  const started = now()
  const probe = tracker.admit(id, started) === 'probe'
  tracker.record(id, { kind: 'success', latencyMs: 12.5, ttftMs: null }, started, probe)
  const attempt: AttemptRecord = {
    model: id,
    provider: 'openai',
    deploymentId: id,
    outcome: 'success',
    code: null,
    upstreamStatus: null,
    latencyMs: 12.5,
    retryDelayMs: 0,
    probe,
  }
  return summarizeAttempts([attempt])
}

for (let index = 0; index < 20_000; index += 1) oneRequest(index)
const started = performance.now()
let length = 0
for (let index = 0; index < iterations; index += 1) length += oneRequest(index).length
const microseconds = ((performance.now() - started) * 1000) / iterations
console.log(
  `health bookkeeping + attempts header: ${microseconds.toFixed(2)} µs per request (${iterations} requests, ${length} header bytes)`,
)
