import type { HealthSettings } from './health-settings.ts'
import { RollingWindow } from './rolling-window.ts'

export type CircuitState = 'closed' | 'open' | 'half_open'

/** What the breaker lets a caller do right now. */
export type Admission = 'call' | 'probe' | 'reject'

/**
 * One deployment's circuit breaker. Closed: every call goes through; it opens after
 * `failureThreshold` consecutive failures, or when the failure share over the window reaches
 * `errorRateThreshold`. Open: calls are rejected until `cooldownMs` has passed. Half-open: exactly
 * one probe at a time; its success closes the circuit, its failure opens it for another cooldown.
 * The clock is passed in, so the machine is deterministic; the open → half-open step happens lazily
 * when someone asks, so no timer exists.
 */
export class CircuitBreaker {
  private current: CircuitState = 'closed'
  private consecutiveFailures = 0
  private openedAt = 0
  private probeStartedAt: number | undefined
  private readonly window: RollingWindow
  /** Times the circuit opened, and probes admitted: shown on the admin health page. */
  opens = 0
  probes = 0

  constructor(private readonly settings: HealthSettings) {
    this.window = new RollingWindow(settings.windowMs)
  }

  state(now: number): CircuitState {
    if (this.current === 'open' && now - this.openedAt >= this.settings.cooldownMs) this.current = 'half_open'
    return this.current
  }

  /** Would `admit` say yes? Asks without taking the probe slot. */
  canAdmit(now: number): boolean {
    const state = this.state(now)
    if (state === 'closed') return true
    if (state === 'open') return false
    return !this.probeInFlight(now)
  }

  /** Takes permission for one call; a `probe` must be settled by `onSuccess`, `onFailure` or `onNeutral`. */
  admit(now: number): Admission {
    const state = this.state(now)
    if (state === 'closed') return 'call'
    if (state === 'open' || this.probeInFlight(now)) return 'reject'
    this.probeStartedAt = now
    this.probes += 1
    return 'probe'
  }

  /** `probe`: this call was admitted as the half-open probe. Other late answers never move the state. */
  onSuccess(now: number, probe: boolean): void {
    this.window.add(now, false)
    this.consecutiveFailures = 0
    if (probe && this.current === 'half_open') this.close()
  }

  onFailure(now: number, probe: boolean): void {
    this.window.add(now, true)
    this.consecutiveFailures += 1
    if (probe) {
      this.open(now)
      return
    }
    if (this.current !== 'closed') return
    if (this.consecutiveFailures >= this.settings.failureThreshold || this.errorRateTooHigh(now)) this.open(now)
  }

  /** The call ended without saying anything about the deployment (client left, request refused as invalid). */
  onNeutral(probe: boolean): void {
    if (probe) this.probeStartedAt = undefined
  }

  /** When the circuit next admits a probe (only meaningful while open). */
  reopensAt(): number {
    return this.openedAt + this.settings.cooldownMs
  }

  lastOpenedAt(): number | undefined {
    return this.opens === 0 ? undefined : this.openedAt
  }

  private probeInFlight(now: number): boolean {
    if (this.probeStartedAt == null) return false
    if (now - this.probeStartedAt < this.settings.probeLeaseMs) return true
    this.probeStartedAt = undefined
    return false
  }

  private errorRateTooHigh(now: number): boolean {
    const { calls, failures } = this.window.totals(now)
    return calls >= this.settings.minimumRequests && failures / calls >= this.settings.errorRateThreshold
  }

  private open(now: number): void {
    this.current = 'open'
    this.openedAt = now
    this.probeStartedAt = undefined
    this.opens += 1
  }

  private close(): void {
    this.current = 'closed'
    this.consecutiveFailures = 0
    this.probeStartedAt = undefined
    this.window.clear()
  }
}
