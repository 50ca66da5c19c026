import type { Database } from 'bun:sqlite'
import { spendMonthOf } from '../row-mapping.ts'
import type { LedgerEntry, Store } from '../store.ts'

/**
 * `money.apply` for SQLite, synchronous, with statements prepared once: the ledger batch is the
 * busiest write of a loaded gateway, and the shared async version (accounts-store-parts.ts) spends
 * most of its time in promise plumbing and statement-cache lookups. Same algorithm, same contract
 * (store-contract.ts runs against both): lock-free because SQLite has one writer, one INSERT per
 * entry, one UPDATE per user and per key and month.
 */
export function createSqliteLedgerApply(database: Database): Store['money']['apply'] {
  const selectBalance = database.prepare<{ balance_micros: number }, [string]>('SELECT balance_micros FROM users WHERE id = ?')
  // No RETURNING: `changes` says whether the row went in, and RETURNING made each insert about
  // half again as expensive (docs/benchmarks.md).
  const insertEntry = database.prepare<never, [string, string, string | null, string, number, number, string, string, string, number]>(
    `INSERT INTO ledger (id, user_id, key_id, kind, amount_micros, balance_after_micros, note, actor, request_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  )
  const updateUser = database.prepare('UPDATE users SET balance_micros = ?, reserved_micros = reserved_micros - ? WHERE id = ?')
  const updateKey = database.prepare(
    `UPDATE api_keys SET spent_micros = spent_micros + ?, reserved_micros = reserved_micros - ?,
       month_spent_micros = CASE WHEN spend_month = ? THEN month_spent_micros + ? ELSE ? END,
       spend_month = ? WHERE id = ?`,
  )

  // The same steps as takeFromHold in accounts-store-parts.ts: only what the hold row still has.
  const emptyHold = database.prepare<{ held_micros: number }, [string, number]>(
    'DELETE FROM spend_holds WHERE id = ? AND held_micros <= ? RETURNING held_micros',
  )
  const reduceHold = database.prepare('UPDATE spend_holds SET held_micros = held_micros - ? WHERE id = ? AND held_micros > ?')
  const takeFromHold = (holdId: string | undefined, amount: number): number => {
    if (holdId == null || amount <= 0) return amount
    const emptied = emptyHold.get(holdId, amount)
    if (emptied != null) return Number(emptied.held_micros)
    return reduceHold.run(amount, holdId, amount).changes === 0 ? 0 : amount
  }

  const applyInTransaction = database.transaction((entries: readonly LedgerEntry[]) => {
    const balances = new Map<string, number>()
    for (const entry of entries) {
      if (balances.has(entry.userId)) continue
      const user = selectBalance.get(entry.userId)
      if (user == null) throw new Error(`ledger: no user ${entry.userId}`)
      balances.set(entry.userId, Number(user.balance_micros))
    }
    const released = new Map<string, number>()
    const keyChanges: Array<{ keyId: string; month: string; spent: number; released: number }> = []
    const results: Array<{ applied: boolean; balanceMicros: number }> = []
    for (const entry of entries) {
      const before = balances.get(entry.userId) ?? 0
      const after = before + entry.amountMicros
      const { changes } = insertEntry.run(
        entry.id,
        entry.userId,
        entry.keyId,
        entry.kind,
        entry.amountMicros,
        after,
        entry.note,
        entry.actor,
        entry.requestId,
        entry.createdAt,
      )
      if (changes === 0) {
        results.push({ applied: false, balanceMicros: before })
        continue
      }
      balances.set(entry.userId, after)
      const release = takeFromHold(entry.holdId, entry.releaseReservedMicros ?? 0)
      released.set(entry.userId, (released.get(entry.userId) ?? 0) + release)
      if (entry.keyId != null && (entry.kind === 'charge' || release > 0)) {
        const month = spendMonthOf(entry.createdAt)
        const spent = entry.kind === 'charge' ? -entry.amountMicros : 0
        const last = keyChanges.findLast((change) => change.keyId === entry.keyId)
        if (last != null && last.month === month) {
          last.spent += spent
          last.released += release
        } else keyChanges.push({ keyId: entry.keyId, month, spent, released: release })
      }
      results.push({ applied: true, balanceMicros: after })
    }
    for (const [userId, release] of released) updateUser.run(balances.get(userId) ?? 0, release, userId)
    for (const change of keyChanges) {
      updateKey.run(change.spent, change.released, change.month, change.spent, change.spent, change.month, change.keyId)
    }
    return results
  })

  // IMMEDIATE takes the write lock before the balance reads: with the write worker's connection
  // beside the gateway's, a deferred transaction could read a snapshot another connection then
  // changes, and fail with SQLITE_BUSY_SNAPSHOT instead of waiting.
  return async (entries) => (entries.length === 0 ? [] : applyInTransaction.immediate(entries))
}
