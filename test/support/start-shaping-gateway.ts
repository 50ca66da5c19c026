import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AppDeps } from '../../src/http/create-app.ts'
import type { HealthView } from '../../src/routing/health-view.ts'
import { type FakeProviderHandle, startFakeProvider } from './fake-provider.ts'
import { startTestGateway, type TestGateway } from './start-test-gateway.ts'

/** `weight`: the routing registry's capability weight (0–10), which /v1/plan's policies rank by. */
export type FakeModel = { model: string; input: number; output: number; capabilities?: string[]; weight?: number }

/**
 * A gateway whose only real provider is the fake one, declared in a switchyard.yaml as `fake`
 * (OpenAI wire format) with the given models and prices (USD per million tokens), so tests can
 * script each model's answers and check every micro-dollar.
 */
export async function startShapingGateway(
  models: readonly FakeModel[],
  options: { plan?: AppDeps['plan']; env?: Record<string, string>; health?: HealthView } = {},
): Promise<{ fake: FakeProviderHandle; gateway: TestGateway }> {
  const fake = startFakeProvider()
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-shaping-'))
  const file = join(directory, 'switchyard.yaml')
  const lines = ['providers:', '  fake:', '    type: openai-compatible', `    base_url: ${fake.url}/v1`, '    api_key: sk-fake', 'models:']
  for (const model of models) {
    lines.push(`  - provider: fake`, `    model: ${model.model}`, `    pricing: { input: ${model.input}, output: ${model.output} }`)
    lines.push(`    capabilities: [${(model.capabilities ?? []).join(', ')}]`)
  }
  const weighted = models.filter((model) => model.weight != null)
  if (weighted.length > 0) {
    lines.push('routing:', '  weights:')
    for (const model of weighted) lines.push(`    fake/${model.model}: ${model.weight}`)
  }
  writeFileSync(file, `${lines.join('\n')}\n`)
  // One attempt per call: these tests script each model's answers call by call, so a scripted
  // failure must fail the step rather than be retried into the next scripted answer.
  const gateway = await startTestGateway({
    configFile: file,
    env: { SWITCHYARD_RETRY_MAX_ATTEMPTS: '1', ...options.env },
    ...(options.plan == null ? {} : { plan: options.plan }),
    ...(options.health == null ? {} : { health: options.health }),
  })
  return { fake, gateway }
}
