import { spendMonthOf } from '../../store/row-mapping.ts'
import type { ApiKeyRecord, LedgerEntry, Store } from '../../store/store.ts'
import { writeInBatches } from '../../util/write-in-batches.ts'
import { type AccountState, type HoldBook, type KeyState, MemorySpendHold } from './memory-spend-hold.ts'
import { creditEntry, insufficientQuota, type SpendLedger } from './spend-ledger.ts'

/**
 * One process owns the money: balances and key spend are read from the store once per user and
 * key, then kept in memory, where a reservation is a synchronous check-and-add (JavaScript runs
 * one callback at a time, so no two requests interleave inside it). Settled charges are queued
 * and written in batches, each batch one transaction that inserts the ledger rows and moves the
 * balance and key spend together. Memory is debited before the write, so a slow or failing
 * database can delay the ledger but never lets a request spend money that is not there.
 */
export function createMemorySpendLedger(options: {
  store: Store
  now?: () => number
  flushIntervalMs?: number
  maxBatch?: number
  onError?: (error: unknown) => void
}): SpendLedger {
  const { store } = options
  const now = options.now ?? Date.now
  const flushIntervalMs = options.flushIntervalMs ?? 200
  const maxBatch = options.maxBatch ?? 2_000
  const accounts = new Map<string, AccountState>()
  const keys = new Map<string, KeyState>()
  // Loading a user's balance and crediting it take turns, so a credit is never counted twice.
  const userTurns = new Map<string, Promise<unknown>>()
  const keyLoads = new Map<string, Promise<KeyState>>()
  let queue: LedgerEntry[] = []
  let inFlight: Promise<void> | undefined
  let timer: ReturnType<typeof setTimeout> | undefined

  function inUserTurn<T>(userId: string, work: () => Promise<T>): Promise<T> {
    const result = (userTurns.get(userId) ?? Promise.resolve()).then(work)
    const settled = result.catch(() => {})
    userTurns.set(userId, settled)
    void settled.then(() => {
      if (userTurns.get(userId) === settled) userTurns.delete(userId)
    })
    return result
  }

  async function loadAccount(userId: string): Promise<AccountState> {
    const cached = accounts.get(userId)
    if (cached != null) return cached
    return inUserTurn(userId, async () => {
      const again = accounts.get(userId)
      if (again != null) return again
      const stored = await store.money.account(userId)
      const state = { balance: stored?.balanceMicros ?? 0, reserved: 0 }
      if (stored != null) accounts.set(userId, state)
      return state
    })
  }

  function loadKey(keyId: string): KeyState | Promise<KeyState> {
    const cached = keys.get(keyId)
    if (cached != null) return cached
    let loading = keyLoads.get(keyId)
    if (loading == null) {
      loading = store.money.keySpend(keyId).then((spend) => {
        const state = {
          spent: spend?.spentMicros ?? 0,
          month: spend?.spendMonth ?? '',
          monthSpent: spend?.monthSpentMicros ?? 0,
          reserved: 0,
        }
        keys.set(keyId, state)
        keyLoads.delete(keyId)
        return state
      })
      keyLoads.set(keyId, loading)
    }
    return loading
  }

  function schedule() {
    if (queue.length >= maxBatch) void flush()
    else if (timer == null) timer = setTimeout(() => void flush(), flushIntervalMs)
  }

  async function writeQueued(): Promise<void> {
    while (queue.length > 0) {
      const entries = queue
      queue = []
      const { unwritten, error } = await writeInBatches(entries, maxBatch, (batch) => store.money.apply(batch))
      if (unwritten.length > 0) {
        queue = unwritten.concat(queue)
        options.onError?.(error)
        return
      }
    }
  }

  const book: HoldBook = {
    now,
    enqueue(entry) {
      queue.push(entry)
      schedule()
    },
  }

  function flush(): Promise<void> {
    if (timer != null) {
      clearTimeout(timer)
      timer = undefined
    }
    inFlight ??= writeQueued().finally(() => {
      inFlight = undefined
      if (queue.length > 0) schedule()
    })
    return inFlight
  }

  type ReserveInput = { requestId: string; apiKey: ApiKeyRecord; amountMicros: number; now: number }

  /** The first request of a user or key loads its balance or spend, then holds. */
  async function loadAndHold(input: ReserveInput): Promise<MemorySpendHold> {
    const userId = input.apiKey.userId ?? ''
    const account = accounts.get(userId) ?? (await loadAccount(userId))
    const key = keys.get(input.apiKey.id) ?? (await loadKey(input.apiKey.id))
    if (!accounts.has(userId)) throw insufficientQuota('no_account', input.amountMicros)
    return hold(account, key, input)
  }

  /** Check and add in one synchronous step: no other request can interleave between them. */
  function hold(account: AccountState, key: KeyState, { requestId, apiKey, amountMicros, now: at }: ReserveInput): MemorySpendHold {
    const month = spendMonthOf(at)
    if (key.month !== month) {
      key.month = month
      key.monthSpent = 0
    }
    if (account.balance - account.reserved < amountMicros) throw insufficientQuota('balance', amountMicros)
    if (apiKey.limitMicros != null && key.spent + key.reserved + amountMicros > apiKey.limitMicros) {
      throw insufficientQuota('key_limit', amountMicros)
    }
    if (apiKey.monthlyBudgetMicros != null && key.monthSpent + key.reserved + amountMicros > apiKey.monthlyBudgetMicros) {
      throw insufficientQuota('monthly_budget', amountMicros)
    }
    account.reserved += amountMicros
    key.reserved += amountMicros
    return new MemorySpendHold(book, account, key, apiKey.userId ?? '', apiKey.id, requestId, amountMicros)
  }

  return {
    mode: 'memory',

    reserve(input) {
      const account = accounts.get(input.apiKey.userId ?? '')
      const key = keys.get(input.apiKey.id)
      if (account != null && key != null) return hold(account, key, input)
      return loadAndHold(input)
    },

    async credit(input) {
      return inUserTurn(input.userId, async () => {
        const [result] = await store.money.apply([creditEntry(input, now())])
        if (result == null) throw new Error('credit: the store returned no result')
        const account = accounts.get(input.userId)
        if (account != null && result.applied) account.balance += input.amountMicros
        return { applied: result.applied, balanceMicros: account?.balance ?? result.balanceMicros }
      })
    },

    async balance(userId) {
      const account = await loadAccount(userId)
      return { balanceMicros: account.balance, reservedMicros: account.reserved }
    },

    flush,

    async close() {
      await flush()
      if (queue.length > 0) await flush()
    },
  }
}
