import type { BanditMemory } from '../routing/thompson-bandit.ts'
import type { RoutingStore } from '../store/routing-store.ts'

/**
 * Shares the Thompson bandit between replicas through the Store: every `intervalMs` this process
 * merges its pending observations into the shared totals (an atomic per-arm upsert, so two
 * replicas flushing at once lose nothing) and reloads the totals, which now hold everyone's
 * traffic. A replica is at most one interval behind the others; its own traffic counts at once.
 * Nothing here runs on a request's path.
 */
export type BanditSync = { flush(): Promise<void>; stop(): Promise<void> }

export async function startBanditSync(options: {
  memory: BanditMemory
  store: RoutingStore['bandit']
  intervalMs: number
  now: () => number
  onError: (error: unknown) => void
}): Promise<BanditSync> {
  const { memory, store } = options
  let running: Promise<void> | undefined
  const flushOnce = async () => {
    const pending = memory.drainPending()
    try {
      const deltas = [...pending].map(([arm, stats]) => ({ arm, ...stats }))
      await store.merge(deltas, memory.halfLifeMs)
    } catch (error) {
      memory.restorePending(pending)
      throw error
    }
    memory.replaceTotals(await store.load())
  }
  const flush = async () => {
    // One flush at a time: a slow database must not stack merges up.
    running ??= flushOnce().finally(() => {
      running = undefined
    })
    return running
  }
  try {
    memory.replaceTotals(await store.load())
  } catch (error) {
    options.onError(error)
  }
  const timer = setInterval(() => {
    flush().catch(options.onError)
  }, options.intervalMs)
  timer.unref?.()
  return {
    flush,
    async stop() {
      clearInterval(timer)
      await flush().catch(options.onError)
    },
  }
}
