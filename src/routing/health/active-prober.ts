import type { HealthTracker } from './health-tracker.ts'

/** Sends one tiny request to a deployment; the caller records its outcome as a probe. */
export type ProbeDeployment = (deploymentId: string) => Promise<void>

/**
 * Optional active probing (off by default, since each probe costs a few tokens): one process-wide
 * timer looks for circuits whose cooldown has passed and probes each, so a recovered deployment is
 * closed again before any client request has to be its probe. The timer is unref'd and never runs
 * on the request path.
 */
export function startActiveProbes(options: {
  health: HealthTracker
  intervalMs: number
  now: () => number
  probe: ProbeDeployment
  onError?: (error: unknown) => void
}): { stop(): void } {
  const tick = () => {
    for (const deploymentId of options.health.dueForProbe(options.now())) {
      options.probe(deploymentId).catch((error: unknown) => options.onError?.(error))
    }
  }
  const timer = setInterval(tick, options.intervalMs)
  timer.unref?.()
  return { stop: () => clearInterval(timer) }
}
