/** How the circuit breaker and the health figures behave; one value for the whole process. */
export type HealthSettings = {
  /** Consecutive failures (errors, timeouts, slow answers) that open a closed circuit. */
  failureThreshold: number
  /** Share of failures in the window that opens the circuit (0–1), once `minimumRequests` is reached. */
  errorRateThreshold: number
  /** Calls the window must hold before the error rate may open the circuit. */
  minimumRequests: number
  /** Length of the error-rate window. */
  windowMs: number
  /** How long an open circuit rejects calls before admitting one probe. */
  cooldownMs: number
  /** An answer slower than this (to the whole JSON body, or to a stream's first chunk) counts as a failure. */
  slowThresholdMs: number
  /** Weight of the newest sample in the latency and time-to-first-token averages. */
  emaAlpha: number
  /** A probe not settled after this long frees its slot (a safety net; every call settles its probe). */
  probeLeaseMs: number
  /**
   * Active probes: how often to look for circuits whose cooldown has passed and send each a tiny
   * request, so a recovered deployment closes without a client's request being the probe. Null = off.
   */
  activeProbeIntervalMs: number | null
}

export const defaultHealthSettings: HealthSettings = {
  failureThreshold: 5,
  errorRateThreshold: 0.5,
  minimumRequests: 20,
  windowMs: 60_000,
  cooldownMs: 30_000,
  slowThresholdMs: 120_000,
  emaAlpha: 0.2,
  probeLeaseMs: 600_000,
  activeProbeIntervalMs: null,
}
