import { apiKeyFromRow, auditFromRow, ledgerFromRow, spendMonthOf, userFromRow } from './row-mapping.ts'
import type { SqlRunner } from './sql-runner.ts'
import type { Store, SweptHold } from './store.ts'

type AccountsParts = Pick<Store, 'users' | 'money' | 'audit' | 'usage'> & {
  listByUser: Store['apiKeys']['listByUser']
  listRevokedSince: Store['apiKeys']['listRevokedSince']
}

/**
 * Users, money, audit and usage for both dialects. Every money movement runs in one transaction
 * that locks the user's row first (PostgreSQL: SELECT ... FOR UPDATE; SQLite: one writer), so the
 * ledger row, the balance and the key's spend change together or not at all.
 */
export function createAccountsStoreParts(db: SqlRunner): AccountsParts {
  const lockSuffix = db.dialect === 'postgres' ? ' FOR UPDATE' : ''
  const dayExpression =
    db.dialect === 'postgres'
      ? `to_char(to_timestamp(created_at / 1000.0) AT TIME ZONE 'UTC', 'YYYY-MM-DD')`
      : `strftime('%Y-%m-%d', created_at / 1000, 'unixepoch')`

  return {
    async listByUser(userId) {
      return (await db.all('SELECT * FROM api_keys WHERE user_id = ? ORDER BY created_at, id', [userId])).map(apiKeyFromRow)
    },
    async listRevokedSince(at) {
      return (await db.all('SELECT * FROM api_keys WHERE revoked_at >= ?', [at])).map(apiKeyFromRow)
    },

    users: {
      async insert(record) {
        await db.all('INSERT INTO users (id, email, password_hash, created_at) VALUES (?, ?, ?, ?)', [
          record.id,
          record.email,
          record.passwordHash,
          record.createdAt,
        ])
      },
      async get(id) {
        const [row] = await db.all('SELECT * FROM users WHERE id = ?', [id])
        return row == null ? undefined : userFromRow(row)
      },
      async findByEmail(email) {
        const [row] = await db.all('SELECT * FROM users WHERE email = ?', [email])
        return row == null ? undefined : userFromRow(row)
      },
      async list() {
        return (await db.all('SELECT * FROM users ORDER BY created_at, id')).map(userFromRow)
      },
    },

    money: {
      async account(userId) {
        const [row] = await db.all('SELECT balance_micros, reserved_micros FROM users WHERE id = ?', [userId])
        return row == null ? undefined : { balanceMicros: Number(row.balance_micros), reservedMicros: Number(row.reserved_micros) }
      },
      async keySpend(keyId) {
        const [row] = await db.all('SELECT spent_micros, spend_month, month_spent_micros, reserved_micros FROM api_keys WHERE id = ?', [
          keyId,
        ])
        if (row == null) return undefined
        return {
          spentMicros: Number(row.spent_micros),
          spendMonth: String(row.spend_month),
          monthSpentMicros: Number(row.month_spent_micros),
          reservedMicros: Number(row.reserved_micros),
        }
      },
      async apply(entries) {
        if (entries.length === 0) return []
        return db.transaction(async (tx) => {
          // Users are locked in id order (no deadlock between concurrent batches) and read once per
          // batch; then one statement per entry; then one UPDATE per user and per key. A batch of N
          // charges for one user and key is N + 3 statements, not 5N.
          const balances = new Map<string, number>()
          for (const userId of [...new Set(entries.map((entry) => entry.userId))].sort()) {
            const [user] = await tx.all(`SELECT balance_micros FROM users WHERE id = ?${lockSuffix}`, [userId])
            if (user == null) throw new Error(`ledger: no user ${userId}`)
            balances.set(userId, Number(user.balance_micros))
          }
          const changedUsers = new Map<string, { released: number }>()
          // Key spend per key and month, in the order the months occur.
          const keyChanges: Array<{ keyId: string; month: string; spent: number; released: number }> = []
          const results: Array<{ applied: boolean; balanceMicros: number }> = []
          for (const entry of entries) {
            const before = balances.get(entry.userId) ?? 0
            const after = before + entry.amountMicros
            const inserted = await tx.all(
              `INSERT INTO ledger (id, user_id, key_id, kind, amount_micros, balance_after_micros, note, actor, request_id, created_at)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING RETURNING id`,
              [
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
              ],
            )
            if (inserted.length === 0) {
              results.push({ applied: false, balanceMicros: before })
              continue
            }
            balances.set(entry.userId, after)
            // The hold is released only with the entry that settles it, so a retried settle that had
            // in fact committed releases nothing twice.
            const released = await takeFromHold(tx, entry.holdId, entry.releaseReservedMicros ?? 0)
            const userChange = changedUsers.get(entry.userId) ?? { released: 0 }
            userChange.released += released
            changedUsers.set(entry.userId, userChange)
            if (entry.keyId != null && (entry.kind === 'charge' || released > 0)) {
              const month = spendMonthOf(entry.createdAt)
              const spent = entry.kind === 'charge' ? -entry.amountMicros : 0
              const last = keyChanges.findLast((change) => change.keyId === entry.keyId)
              if (last != null && last.month === month) {
                last.spent += spent
                last.released += released
              } else keyChanges.push({ keyId: entry.keyId, month, spent, released })
            }
            results.push({ applied: true, balanceMicros: after })
          }
          for (const [userId, change] of changedUsers) {
            await tx.all('UPDATE users SET balance_micros = ?, reserved_micros = reserved_micros - ? WHERE id = ?', [
              balances.get(userId),
              change.released,
              userId,
            ])
          }
          for (const change of keyChanges) {
            await tx.all(
              `UPDATE api_keys SET spent_micros = spent_micros + ?, reserved_micros = reserved_micros - ?,
                 month_spent_micros = CASE WHEN spend_month = ? THEN month_spent_micros + ? ELSE ? END,
                 spend_month = ? WHERE id = ?`,
              [change.spent, change.released, change.month, change.spent, change.spent, change.month, change.keyId],
            )
          }
          return results
        })
      },
      async reserve(input) {
        return db.transaction(async (tx) => {
          // Conditional UPDATEs: the check and the hold are one statement each, and the user row is
          // always locked before the key row, so concurrent reservations neither overspend nor deadlock.
          const userRows = await tx.all(
            'UPDATE users SET reserved_micros = reserved_micros + ? WHERE id = ? AND balance_micros - reserved_micros >= ? RETURNING id',
            [input.amountMicros, input.userId, input.amountMicros],
          )
          if (userRows.length === 0) {
            const [exists] = await tx.all('SELECT 1 AS found FROM users WHERE id = ?', [input.userId])
            return exists == null ? 'no_account' : 'balance'
          }
          const monthSpent = 'CASE WHEN spend_month = ? THEN month_spent_micros ELSE 0 END'
          const keyRows = await tx.all(
            `UPDATE api_keys SET reserved_micros = reserved_micros + ?
               WHERE id = ? AND (CAST(? AS BIGINT) IS NULL OR spent_micros + reserved_micros + ? <= ?)
                 AND (CAST(? AS BIGINT) IS NULL OR ${monthSpent} + reserved_micros + ? <= ?) RETURNING id`,
            [
              input.amountMicros,
              input.keyId,
              input.limitMicros,
              input.amountMicros,
              input.limitMicros,
              input.monthlyBudgetMicros,
              input.month,
              input.amountMicros,
              input.monthlyBudgetMicros,
            ],
          )
          if (keyRows.length === 1) {
            const { hold } = input
            if (hold != null) {
              await tx.all('INSERT INTO spend_holds (id, user_id, key_id, held_micros, owner, expires_at) VALUES (?, ?, ?, ?, ?, ?)', [
                hold.id,
                input.userId,
                input.keyId,
                input.amountMicros,
                hold.owner,
                hold.expiresAt,
              ])
            }
            return 'reserved'
          }
          // Refused: undo the user's hold and say which limit it was.
          await tx.all('UPDATE users SET reserved_micros = reserved_micros - ? WHERE id = ?', [input.amountMicros, input.userId])
          const [key] = await tx.all('SELECT spent_micros, reserved_micros FROM api_keys WHERE id = ?', [input.keyId])
          if (key == null) return 'no_account'
          const overCeiling =
            input.limitMicros != null && Number(key.spent_micros) + Number(key.reserved_micros) + input.amountMicros > input.limitMicros
          return overCeiling ? 'key_limit' : 'monthly_budget'
        })
      },
      async release(input) {
        await db.transaction(async (tx) => {
          // The user's row first, as every money movement locks it (no deadlock with apply or a sweep).
          await tx.all(`SELECT 1 AS found FROM users WHERE id = ?${lockSuffix}`, [input.userId])
          const released = await takeFromHold(tx, input.holdId, input.amountMicros)
          if (released === 0) return
          await tx.all('UPDATE users SET reserved_micros = reserved_micros - ? WHERE id = ?', [released, input.userId])
          await tx.all('UPDATE api_keys SET reserved_micros = reserved_micros - ? WHERE id = ?', [released, input.keyId])
        })
      },
      async renewHolds({ owner, expiresAt }) {
        return (await db.all('UPDATE spend_holds SET expires_at = ? WHERE owner = ? RETURNING id', [expiresAt, owner])).length
      },
      async sweepExpiredHolds(now) {
        const expired = await db.all('SELECT id, user_id FROM spend_holds WHERE expires_at < ? ORDER BY id', [now])
        if (expired.length === 0) return []
        return db.transaction(async (tx) => {
          // Users locked first, in id order, like apply; then each hold is deleted only if its lease
          // still ran out (its owner may have renewed it since the read above).
          for (const userId of [...new Set(expired.map((row) => String(row.user_id)))].sort()) {
            await tx.all(`SELECT 1 AS found FROM users WHERE id = ?${lockSuffix}`, [userId])
          }
          const swept: SweptHold[] = []
          for (const row of expired) {
            const [deleted] = await tx.all(
              'DELETE FROM spend_holds WHERE id = ? AND expires_at < ? RETURNING user_id, key_id, held_micros',
              [row.id, now],
            )
            if (deleted == null) continue
            const hold = {
              id: String(row.id),
              userId: String(deleted.user_id),
              keyId: String(deleted.key_id),
              releasedMicros: Number(deleted.held_micros),
            }
            await tx.all('UPDATE users SET reserved_micros = reserved_micros - ? WHERE id = ?', [hold.releasedMicros, hold.userId])
            await tx.all('UPDATE api_keys SET reserved_micros = reserved_micros - ? WHERE id = ?', [hold.releasedMicros, hold.keyId])
            swept.push(hold)
          }
          return swept
        })
      },
      async ledger(query) {
        const rows =
          query.userId == null
            ? await db.all('SELECT * FROM ledger ORDER BY created_at DESC, id DESC LIMIT ?', [query.limit])
            : await db.all('SELECT * FROM ledger WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?', [query.userId, query.limit])
        return rows.map(ledgerFromRow)
      },
      async ledgerTotal(userId) {
        const [row] = await db.all('SELECT COALESCE(SUM(amount_micros), 0) AS total FROM ledger WHERE user_id = ?', [userId])
        return Number(row?.total ?? 0)
      },
    },

    audit: {
      async append(row) {
        await db.all(
          'INSERT INTO audit_log (actor, action, target, before_json, after_json, request_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [row.actor, row.action, row.target, row.before, row.after, row.requestId, row.createdAt],
        )
      },
      async list(query) {
        const rows =
          query.before == null
            ? await db.all('SELECT * FROM audit_log ORDER BY seq DESC LIMIT ?', [query.limit])
            : await db.all('SELECT * FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?', [query.before, query.limit])
        return rows.map(auditFromRow)
      },
    },

    usage: {
      async groups(query) {
        const parameters: unknown[] = [query.since]
        let ownership = ''
        if (query.userId != null) {
          ownership = ' AND key_id IN (SELECT id FROM api_keys WHERE user_id = ?)'
          parameters.push(query.userId)
        }
        const rows = await db.all(
          `SELECT ${dayExpression} AS day, model, key_id, COUNT(*) AS requests, SUM(input_tokens) AS input_tokens,
             SUM(output_tokens) AS output_tokens, SUM(cost_micros) AS cost_micros
           FROM request_log WHERE created_at >= ? AND (status = 200 OR error_code = 'client_aborted')${ownership}
           GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
          parameters,
        )
        return rows.map((row) => ({
          day: String(row.day),
          model: row.model == null ? null : String(row.model),
          keyId: row.key_id == null ? null : String(row.key_id),
          requests: Number(row.requests),
          inputTokens: Number(row.input_tokens),
          outputTokens: Number(row.output_tokens),
          costMicros: Number(row.cost_micros),
        }))
      },
    },
  }
}

/**
 * What a release takes out of a reservation: `amount` as stated, or with a hold id, at most what
 * that hold row still has (deleting the row once it is empty), and nothing if the row is gone
 * because a sweep already released it. Each statement is one atomic row update.
 */
async function takeFromHold(tx: SqlRunner, holdId: string | undefined, amount: number): Promise<number> {
  if (holdId == null || amount <= 0) return amount
  const [emptied] = await tx.all('DELETE FROM spend_holds WHERE id = ? AND held_micros <= ? RETURNING held_micros', [holdId, amount])
  if (emptied != null) return Number(emptied.held_micros)
  const reduced = await tx.all('UPDATE spend_holds SET held_micros = held_micros - ? WHERE id = ? AND held_micros > ? RETURNING id', [
    amount,
    holdId,
    amount,
  ])
  return reduced.length === 0 ? 0 : amount
}
