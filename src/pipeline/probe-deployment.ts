import { GatewayError } from '../errors/gateway-error.ts'
import type { HealthTracker } from '../routing/health/health-tracker.ts'
import { attemptChat } from './attempt-chat.ts'
import type { PipelineDeps } from './pipeline-types.ts'
import { planAfterFailure } from './retry-policy.ts'

/**
 * The active prober's request: one user word, one output token, never streamed, never logged or
 * billed to anyone. Today a deployment id is a catalogue model id; a registry with real deployments
 * passes its own `resolveDeployment`.
 */
export function createDeploymentProbe(
  deps: PipelineDeps & { health: HealthTracker },
  resolveDeployment: (deploymentId: string) => ReturnType<PipelineDeps['catalog']['resolve']> = (id) => deps.catalog.resolve(id),
): (deploymentId: string) => Promise<void> {
  return async (deploymentId) => {
    const model = resolveDeployment(deploymentId)
    if (model == null) return
    if (deps.health.admit(deploymentId, deps.now()) !== 'probe') return
    const started = deps.now()
    try {
      await attemptChat({
        model,
        request: { model: model.id, messages: [{ role: 'user', content: 'ping' }], max_tokens: 1, stream: false },
        context: {
          requestId: `probe-${crypto.randomUUID()}`,
          keyId: null,
          endpoint: 'probe',
          signal: new AbortController().signal,
          startedAt: started,
        },
        deps,
      })
      const finished = deps.now()
      deps.health.record(deploymentId, { kind: 'success', latencyMs: finished - started, ttftMs: null }, finished, true)
    } catch (error) {
      const finished = deps.now()
      if (error instanceof GatewayError && error.code === 'upstream_rate_limited') {
        // Alive but busy: stay half-open, and do not probe again before it said we may.
        deps.health.markRateLimited(deploymentId, finished + (error.retryAfterSeconds ?? deps.health.settings.cooldownMs / 1000) * 1000)
        deps.health.record(deploymentId, { kind: 'neutral' }, finished, true)
        return
      }
      // Any other answer the deployment is not to blame for (a 4xx about the request) proves it is up.
      const blame = !(error instanceof GatewayError) || planAfterFailure(error).blame
      const latencyMs = finished - started
      deps.health.record(
        deploymentId,
        blame ? { kind: 'failure', latencyMs } : { kind: 'success', latencyMs, ttftMs: null },
        finished,
        true,
      )
    }
  }
}
