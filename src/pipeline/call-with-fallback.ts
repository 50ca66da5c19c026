import type { CatalogModel } from '../catalog/catalog-types.ts'
import { GatewayError } from '../errors/gateway-error.ts'
import type { ChatRequest } from '../protocol/openai-chat-types.ts'
import { defaultHealthSettings } from '../routing/health/health-settings.ts'
import { HealthTracker } from '../routing/health/health-tracker.ts'
import { attemptChat, type CommittedChat } from './attempt-chat.ts'
import type { AttemptRecord } from './attempt-record.ts'
import { summarizeAttempts } from './attempt-record.ts'
import type { PipelineDeps, RequestContext } from './pipeline-types.ts'
import { backoffDelayMs, defaultRetrySettings, planAfterFailure } from './retry-policy.ts'
import { ClientAbortedError } from './send-upstream.ts'

export type FailedAttempt = { model: string; provider: string; code: string; message: string }

/** A candidate as routing hands it over: a catalogue model, optionally naming the deployment it runs on. */
export type Candidate = CatalogModel & { deploymentId?: string }

export type FallbackResult = {
  committed: CommittedChat
  /** Every try and skip, in order, the committed one last. */
  attempts: AttemptRecord[]
  /** The candidates given up on (failed or skipped) before the one that answered, each with its last error or skip reason. */
  failedAttempts: FailedAttempt[]
}

const attemptsByError = new WeakMap<object, AttemptRecord[]>()

/** The attempts behind an error thrown by `callWithFallback` (for the request log), if it came from there. */
export function attemptsOf(error: unknown): AttemptRecord[] | undefined {
  return typeof error === 'object' && error != null ? attemptsByError.get(error) : undefined
}

/**
 * Calls the candidates in routing's order until one commits (the whole JSON body, or a stream's
 * first chunk). Transient errors are retried on the same deployment with backoff and full jitter,
 * then the next candidate is tried, within an attempt budget and a time budget. Deployments with an
 * open circuit or an unexpired Retry-After are skipped; a context overflow skips to a model with a
 * bigger window. Everything happens before the first byte reaches the client, so an answer is never
 * spliced from two providers. See docs/reliability.md.
 */
export async function callWithFallback(options: {
  candidates: readonly Candidate[]
  request: ChatRequest
  context: RequestContext
  deps: PipelineDeps
}): Promise<FallbackResult> {
  const { candidates, request, context, deps } = options
  const health = deps.health ?? new HealthTracker(defaultHealthSettings, deps.now)
  const settings = deps.retry ?? defaultRetrySettings
  const random = deps.random ?? Math.random
  const attempts: AttemptRecord[] = []
  const failedAttempts: FailedAttempt[] = []
  let lastError: GatewayError | undefined
  let calls = 0
  /** After a context overflow: only models with a larger known window are worth trying. */
  let minimumContextWindow = 0
  /** Rate-limited candidates whose Retry-After is short enough to wait out if nothing else works. */
  const deferred: Candidate[] = []

  const skip = (model: Candidate, code: string) => {
    attempts.push(attemptRecord(model, 'skipped', code, null, 0, 0, false))
    failedAttempts.push({ model: model.id, provider: model.providerId, code, message: `Skipped: ${code.replace('_', ' ')}.` })
  }
  // The first call is always allowed; the budgets bound what comes after it.
  const budgetAllows = (waitMs: number) =>
    calls === 0 || (calls < settings.maxAttempts && deps.now() + waitMs - context.startedAt <= settings.timeBudgetMs)

  /** Tries one deployment, retrying it while that may help. Returns the commit, or what to do next. */
  async function tryDeployment(model: Candidate, firstDelayMs: number): Promise<CommittedChat | 'move' | 'bigger'> {
    let delayMs = firstDelayMs
    for (let retry = 0; ; retry += 1) {
      if (delayMs > 0) await sleep(delayMs, context.signal)
      const id = deploymentIdOf(model)
      const started = deps.now()
      const admission = health.admit(id, started)
      if (admission === 'reject') {
        skip(model, 'circuit_open')
        return 'move'
      }
      const probe = admission === 'probe'
      calls += 1
      try {
        const committed = await attemptChat({ model, request, context, deps })
        const finished = committed.kind === 'stream' ? committed.firstChunkAt : deps.now()
        const latencyMs = finished - started
        health.record(id, { kind: 'success', latencyMs, ttftMs: committed.kind === 'stream' ? latencyMs : null }, finished, probe)
        attempts.push(attemptRecord(model, 'success', null, null, latencyMs, delayMs, probe))
        return committed
      } catch (error) {
        const now = deps.now()
        if (!(error instanceof GatewayError)) {
          health.record(id, { kind: 'neutral' }, now, probe)
          throw error
        }
        const plan = planAfterFailure(error)
        health.record(id, plan.blame ? { kind: 'failure', latencyMs: now - started } : { kind: 'neutral' }, now, probe)
        attempts.push(attemptRecord(model, 'error', error.code, error.upstreamStatus ?? null, now - started, delayMs, probe))
        lastError = error
        // One entry per candidate given up on (retries of the same one are in `attempts`).
        const giveUp = <T>(next: T): T => {
          failedAttempts.push({ model: model.id, provider: model.providerId, code: error.code, message: error.message })
          return next
        }
        if (plan.next === 'stop') throw finalError(error, attempts)
        if (plan.next !== 'retry') return giveUp(plan.next)
        const retryAfterMs = error.retryAfterSeconds == null ? undefined : error.retryAfterSeconds * 1000
        if (error.code === 'upstream_rate_limited' && retryAfterMs != null) {
          health.markRateLimited(id, now + retryAfterMs)
          // A short wait is worth it once; a deployment that says 429 again is left for the next candidate.
          if (retryAfterMs > settings.retryAfterCapMs || retry >= settings.retriesPerDeployment) return giveUp('move')
          delayMs = retryAfterMs
        } else {
          if (retry >= settings.retriesPerDeployment) return giveUp('move')
          delayMs = backoffDelayMs(retry, settings, random)
        }
        if (!budgetAllows(delayMs)) return giveUp('move')
        // An open circuit (this failure may have opened it) means: stop hammering, move on.
        if (health.state(id, now) !== 'closed') return giveUp('move')
      }
    }
  }

  for (const model of candidates) {
    if (!budgetAllows(0)) break
    const id = deploymentIdOf(model)
    if (minimumContextWindow > 0 && model.contextWindow != null && model.contextWindow <= minimumContextWindow) {
      skip(model, 'context_too_small')
      continue
    }
    // Read the clock only for a deployment that has a Retry-After at all (0 = none).
    const limitedUntil = health.rateLimitedUntil(id)
    const limitedFor = limitedUntil > 0 ? limitedUntil - deps.now() : 0
    if (limitedFor > 0) {
      skip(model, 'rate_limited')
      if (limitedFor <= settings.retryAfterCapMs) deferred.push(model)
      continue
    }
    const outcome = await tryDeployment(model, 0)
    if (typeof outcome === 'object') return { committed: outcome, attempts, failedAttempts }
    if (outcome === 'bigger') minimumContextWindow = Math.max(minimumContextWindow, model.contextWindow ?? 0)
  }

  // Last resort: a rate-limited candidate that asked for a short enough wait.
  for (const model of deferred) {
    const waitMs = Math.max(0, health.rateLimitedUntil(deploymentIdOf(model)) - deps.now())
    if (waitMs > settings.retryAfterCapMs || !budgetAllows(waitMs)) continue
    const outcome = await tryDeployment(model, waitMs)
    // It answered in the end, so it is no longer one of the candidates given up on.
    if (typeof outcome === 'object')
      return { committed: outcome, attempts, failedAttempts: failedAttempts.filter((failed) => failed.model !== model.id) }
  }

  if (lastError != null) throw finalError(lastError, attempts)
  throw finalError(nothingTriedError(candidates, health, deps.now()), attempts)
}

/**
 * Every candidate was skipped. We fail fast rather than force a call through an open circuit: the
 * breaker exists to spare a failing deployment, and its half-open probe already tests recovery.
 */
function nothingTriedError(candidates: readonly Candidate[], health: HealthTracker, now: number): GatewayError {
  let soonest = Number.POSITIVE_INFINITY
  let allRateLimited = candidates.length > 0
  const reasons = candidates.map((model) => {
    const id = deploymentIdOf(model)
    const limitedUntil = health.rateLimitedUntil(id)
    if (limitedUntil > now) {
      soonest = Math.min(soonest, limitedUntil)
      return `${model.id} is rate limited for ${Math.ceil((limitedUntil - now) / 1000)} s`
    }
    allRateLimited = false
    const reopensAt = health.reopensAt(id, now)
    if (reopensAt != null) {
      soonest = Math.min(soonest, reopensAt)
      return `${model.id} has an open circuit (next probe in ${Math.ceil((reopensAt - now) / 1000)} s)`
    }
    return `${model.id} is being probed`
  })
  const retryAfterSeconds = Number.isFinite(soonest) ? Math.max(1, Math.ceil((soonest - now) / 1000)) : 1
  const message = `No candidate model is available right now: ${reasons.join('; ')}.`
  if (allRateLimited) return new GatewayError('upstream_rate_limited', message, { retryAfterSeconds })
  return new GatewayError('service_unavailable', message, { retryAfterSeconds, headers: { 'retry-after': String(retryAfterSeconds) } })
}

/**
 * The error the client sees, carrying the attempts summary header and, for the log, the attempts.
 * Its fallback count is the number of moves to another candidate, as on a success: the last
 * candidate tried (or skipped) is where the request ended, not a fallback.
 */
function finalError(error: GatewayError, attempts: AttemptRecord[]): GatewayError {
  const fallbacks = Math.max(0, new Set(attempts.map((attempt) => attempt.deploymentId)).size - 1)
  const wrapped = new GatewayError(error.code, error.message, {
    param: error.param,
    status: error.status,
    retryable: error.retryable,
    headers: { ...error.headers, 'x-switchyard-fallbacks': String(fallbacks), 'x-switchyard-attempts': summarizeAttempts(attempts) },
    ...(error.providerId == null ? {} : { providerId: error.providerId }),
    ...(error.upstreamStatus == null ? {} : { upstreamStatus: error.upstreamStatus }),
    ...(error.retryAfterSeconds == null ? {} : { retryAfterSeconds: error.retryAfterSeconds }),
    cause: error.cause,
  })
  attemptsByError.set(wrapped, attempts)
  return wrapped
}

export function deploymentIdOf(model: Candidate): string {
  return model.deploymentId ?? model.id
}

/** One entry of the attempts list, built in one step (no spread: this runs for every request). */
function attemptRecord(
  model: Candidate,
  outcome: AttemptRecord['outcome'],
  code: string | null,
  upstreamStatus: number | null,
  latencyMs: number,
  retryDelayMs: number,
  probe: boolean,
): AttemptRecord {
  return {
    model: model.id,
    provider: model.providerId,
    deploymentId: deploymentIdOf(model),
    outcome,
    code,
    upstreamStatus,
    latencyMs,
    retryDelayMs,
    probe,
  }
}

/** Waits, unless the client leaves first (then nobody is waiting for the answer). */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(new ClientAbortedError('The client disconnected.'))
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(new ClientAbortedError('The client disconnected.'))
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal.addEventListener('abort', onAbort, { once: true })
  })
}
