import { type Admission, CircuitBreaker, type CircuitState } from './circuit-breaker.ts'
import type { HealthSettings } from './health-settings.ts'

/** Seam 5: what routing reads to score candidates (routing declares the same shape in src/routing/health-view.ts). */
export type DeploymentStats = {
  state: CircuitState
  successRate: number
  latencyEmaMs: number | null
  ttftEmaMs: number | null
  requests: number
}

export interface DeploymentHealthView {
  stats(deploymentId: string): DeploymentStats | undefined
  isAvailable(deploymentId: string, now: number): boolean
}

/** How one call to a deployment ended, as far as its health is concerned. */
export type CallOutcome =
  | { kind: 'success'; latencyMs: number; ttftMs: number | null }
  /** An error, timeout or broken connection the deployment is to blame for. */
  | { kind: 'failure'; latencyMs: number }
  /** Tells nothing about the deployment: the client left, or the request itself was refused. */
  | { kind: 'neutral' }

export type DeploymentHealthReport = DeploymentStats & {
  deploymentId: string
  successes: number
  failures: number
  slow: number
  opens: number
  probes: number
  lastOpenedAt: number | null
  reopensAt: number | null
  rateLimitedUntil: number | null
}

type DeploymentHealth = {
  breaker: CircuitBreaker
  successes: number
  failures: number
  slow: number
  latencyEmaMs: number | null
  ttftEmaMs: number | null
  rateLimitedUntil: number
}

/**
 * Live health of every deployment this process has called, in memory (each replica learns on its
 * own; a restart starts healthy). Per call: one map lookup and a few additions — no timers, no I/O.
 */
export class HealthTracker implements DeploymentHealthView {
  private readonly deployments = new Map<string, DeploymentHealth>()

  constructor(
    readonly settings: HealthSettings,
    private readonly now: () => number,
  ) {}

  stats(deploymentId: string): DeploymentStats | undefined {
    const health = this.deployments.get(deploymentId)
    if (health == null) return undefined
    return this.statsOf(health, this.now())
  }

  isAvailable(deploymentId: string, now: number): boolean {
    const health = this.deployments.get(deploymentId)
    if (health == null) return true
    return health.rateLimitedUntil <= now && health.breaker.canAdmit(now)
  }

  state(deploymentId: string, now: number): CircuitState {
    return this.deployments.get(deploymentId)?.breaker.state(now) ?? 'closed'
  }

  /** Until when the deployment asked us to stay away (0 when it did not). */
  rateLimitedUntil(deploymentId: string): number {
    return this.deployments.get(deploymentId)?.rateLimitedUntil ?? 0
  }

  /** When an open circuit will admit its next probe; undefined when the circuit is not open. */
  reopensAt(deploymentId: string, now: number): number | undefined {
    const breaker = this.deployments.get(deploymentId)?.breaker
    return breaker?.state(now) === 'open' ? breaker.reopensAt() : undefined
  }

  /** Deployments whose circuit is half-open with no probe in flight: what an active prober should call. */
  dueForProbe(now: number): string[] {
    const due: string[] = []
    for (const [deploymentId, health] of this.deployments) {
      if (health.rateLimitedUntil <= now && health.breaker.state(now) === 'half_open' && health.breaker.canAdmit(now))
        due.push(deploymentId)
    }
    return due
  }

  /** Permission for one call; a `probe` answer must be followed by `record` for the same call. */
  admit(deploymentId: string, now: number): Admission {
    // Unknown means never failed: closed, so no entry is needed yet.
    return this.deployments.get(deploymentId)?.breaker.admit(now) ?? 'call'
  }

  record(deploymentId: string, outcome: CallOutcome, now: number, probe: boolean): void {
    const health = this.entry(deploymentId)
    const alpha = this.settings.emaAlpha
    if (outcome.kind === 'neutral') {
      health.breaker.onNeutral(probe)
      return
    }
    health.latencyEmaMs = ema(health.latencyEmaMs, outcome.latencyMs, alpha)
    if (outcome.kind === 'failure') {
      health.failures += 1
      health.breaker.onFailure(now, probe)
      return
    }
    if (outcome.ttftMs != null) health.ttftEmaMs = ema(health.ttftEmaMs, outcome.ttftMs, alpha)
    // A slow answer still reaches the client, but a deployment that is this slow should be avoided.
    if (outcome.latencyMs > this.settings.slowThresholdMs) {
      health.slow += 1
      health.failures += 1
      health.breaker.onFailure(now, probe)
      return
    }
    health.successes += 1
    health.breaker.onSuccess(now, probe)
  }

  /**
   * A stream that was committed (and counted a success) broke off later: the client got an error
   * event, so the call was a failure after all.
   */
  recordBrokenStream(deploymentId: string, now: number): void {
    const health = this.entry(deploymentId)
    if (health.successes > 0) health.successes -= 1
    health.failures += 1
    health.breaker.onFailure(now, false)
  }

  /** The deployment said 429 with a Retry-After: skip it until then. */
  markRateLimited(deploymentId: string, until: number): void {
    const health = this.entry(deploymentId)
    if (until > health.rateLimitedUntil) health.rateLimitedUntil = until
  }

  report(now: number): DeploymentHealthReport[] {
    return [...this.deployments.entries()]
      .map(([deploymentId, health]) => {
        const state = health.breaker.state(now)
        return {
          deploymentId,
          ...this.statsOf(health, now),
          successes: health.successes,
          failures: health.failures,
          slow: health.slow,
          opens: health.breaker.opens,
          probes: health.breaker.probes,
          lastOpenedAt: health.breaker.lastOpenedAt() ?? null,
          reopensAt: state === 'open' ? health.breaker.reopensAt() : null,
          rateLimitedUntil: health.rateLimitedUntil > now ? health.rateLimitedUntil : null,
        }
      })
      .sort((left, right) => left.deploymentId.localeCompare(right.deploymentId))
  }

  private evictOne(): void {
    const now = this.now()
    for (const [deploymentId, health] of this.deployments) {
      if (health.breaker.state(now) === 'closed' && health.rateLimitedUntil <= now) {
        this.deployments.delete(deploymentId)
        return
      }
    }
  }

  private statsOf(health: DeploymentHealth, now: number): DeploymentStats {
    const requests = health.successes + health.failures
    return {
      state: health.breaker.state(now),
      successRate: requests === 0 ? 1 : health.successes / requests,
      latencyEmaMs: round(health.latencyEmaMs),
      ttftEmaMs: round(health.ttftEmaMs),
      requests,
    }
  }

  private entry(deploymentId: string): DeploymentHealth {
    let health = this.deployments.get(deploymentId)
    if (health == null) {
      if (this.deployments.size >= maxDeployments) this.evictOne()
      health = {
        breaker: new CircuitBreaker(this.settings),
        successes: 0,
        failures: 0,
        slow: 0,
        latencyEmaMs: null,
        ttftEmaMs: null,
        rateLimitedUntil: 0,
      }
      this.deployments.set(deploymentId, health)
    }
    return health
  }
}

/**
 * Clients may name unlisted models (`provider/anything`), so the map is bounded: past this size
 * the oldest entry whose circuit is closed is forgotten (forgetting a healthy one loses nothing
 * that matters; an open circuit is never dropped).
 */
const maxDeployments = 10_000

function ema(previous: number | null, sample: number, alpha: number): number {
  return previous == null ? sample : previous + alpha * (sample - previous)
}

function round(value: number | null): number | null {
  return value == null ? null : Math.round(value * 10) / 10
}
