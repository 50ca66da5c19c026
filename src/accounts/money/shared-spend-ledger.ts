import { randomUUID } from 'node:crypto'
import { spendMonthOf } from '../../store/row-mapping.ts'
import type { Store, SweptHold } from '../../store/store.ts'
import { creditEntry, insufficientQuota, type SpendHold, type SpendLedger } from './spend-ledger.ts'

const retryDelaysMs = [50, 200, 1_000, 5_000]

/**
 * Several gateway processes on one PostgreSQL: the database is the single owner of the money.
 * A reservation is one transaction of conditional UPDATEs (balance − reserved ≥ amount, and the
 * key's ceiling and monthly budget likewise), so no interleaving of processes can overspend.
 * Settling inserts the ledger row, moves the balance and key spend and releases the hold in one
 * transaction. A settle that fails is retried; the ledger row's id (the request id) makes a
 * retry that had in fact committed a no-op.
 *
 * Every reservation also has a row in `spend_holds`, leased to this process. The process renews
 * its leases every quarter of `holdLeaseMs`, and every replica releases the holds whose lease ran
 * out: a process that died between reserve and settle leaves its money unavailable for at most
 * about one lease, not forever.
 */
export function createSharedSpendLedger(options: {
  store: Store
  now?: () => number
  onError?: (error: unknown) => void
  /** How long a hold outlives its process's last renewal (SWITCHYARD_HOLD_LEASE_MS). */
  holdLeaseMs?: number
  /** Told of holds this process released for a dead one. */
  onSwept?: (holds: SweptHold[]) => void
}): SpendLedger {
  const { store } = options
  const now = options.now ?? Date.now
  const holdLeaseMs = options.holdLeaseMs ?? 60_000
  const owner = `replica_${randomUUID()}`
  const pending = new Set<Promise<unknown>>()
  let leaseWork: Promise<void> = Promise.resolve()
  const leaseTimer = setInterval(
    () => {
      // One round at a time: a slow database must not pile rounds up.
      leaseWork = leaseWork.then(keepLeases)
    },
    Math.max(50, Math.floor(holdLeaseMs / 4)),
  )
  leaseTimer.unref()

  async function keepLeases(): Promise<void> {
    try {
      const at = now()
      await store.money.renewHolds({ owner, expiresAt: at + holdLeaseMs })
      const swept = await store.money.sweepExpiredHolds(at)
      if (swept.length > 0) options.onSwept?.(swept)
    } catch (error) {
      options.onError?.(error)
    }
  }

  function track(work: () => Promise<unknown>) {
    const run = async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await work()
        } catch (error) {
          const delay = retryDelaysMs[attempt]
          if (delay == null) {
            options.onError?.(error)
            return
          }
          await Bun.sleep(delay)
        }
      }
    }
    const promise = run()
    pending.add(promise)
    void promise.finally(() => pending.delete(promise))
  }

  return {
    mode: 'shared',

    async reserve({ requestId, apiKey, amountMicros, now: at }) {
      const userId = apiKey.userId ?? ''
      const outcome = await store.money.reserve({
        userId,
        keyId: apiKey.id,
        amountMicros,
        month: spendMonthOf(at),
        limitMicros: apiKey.limitMicros,
        monthlyBudgetMicros: apiKey.monthlyBudgetMicros,
        hold: { id: requestId, owner, expiresAt: now() + holdLeaseMs },
      })
      if (outcome !== 'reserved') throw insufficientQuota(outcome, amountMicros)
      let open = true
      // What is still held: part charges (a plan's steps) take from it.
      let held = amountMicros
      const releaseRest = () => {
        const rest = held
        held = 0
        if (rest > 0) track(() => store.money.release({ userId, keyId: apiKey.id, amountMicros: rest, holdId: requestId }))
      }
      /** One ledger row that also releases `release` micro-dollars of the reservation, in one transaction. */
      const debit = (entryId: string, costMicros: number, note: string, release: 'charge' | 'all'): number => {
        const charge = Math.max(0, Math.min(Math.round(costMicros), held))
        if (charge === 0) return 0
        const releaseReservedMicros = release === 'all' ? held : charge
        held -= releaseReservedMicros
        const entry = {
          id: entryId,
          userId,
          keyId: apiKey.id,
          kind: 'charge' as const,
          amountMicros: -charge,
          note,
          actor: `key:${apiKey.id}`,
          requestId: entryId,
          createdAt: now(),
          releaseReservedMicros,
          holdId: requestId,
        }
        track(() => store.money.apply([entry]))
        return charge
      }
      const hold: SpendHold = {
        heldMicros: amountMicros,
        settle(costMicros, note) {
          if (!open) return
          open = false
          debit(requestId, costMicros, note, 'all')
          releaseRest()
        },
        release() {
          if (!open) return
          open = false
          releaseRest()
        },
        charge(entryId, costMicros, note) {
          if (!open) return 0
          return debit(entryId, costMicros, note, 'charge')
        },
      }
      return hold
    },

    async credit(input) {
      const [result] = await store.money.apply([creditEntry(input, now())])
      if (result == null) throw new Error('credit: the store returned no result')
      return result
    },

    async balance(userId) {
      const account = await store.money.account(userId)
      return account ?? { balanceMicros: 0, reservedMicros: 0 }
    },

    async flush() {
      while (pending.size > 0) await Promise.all([...pending])
    },

    async close() {
      clearInterval(leaseTimer)
      await leaseWork
      while (pending.size > 0) await Promise.all([...pending])
    },
  }
}
