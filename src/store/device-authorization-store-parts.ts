import type { SqlRow, SqlRunner } from './sql-runner.ts'
import type { DeviceAuthorizationRecord, Store } from './store.ts'

/**
 * Device logins for both dialects. Every change that must happen once (a decision, the exchange of
 * an approved code) is a conditional UPDATE, so two replicas acting on the same login at the same
 * moment cannot both succeed.
 */
export function createDeviceAuthorizationStore(db: SqlRunner): Store['deviceAuthorizations'] {
  return {
    async insert(record) {
      const inserted = await db.all(
        `INSERT INTO device_authorizations (device_code_digest, user_code, client_id, client_name, scope, expires_at,
           interval_seconds, last_polled_at, state, user_id, failed_sign_ins)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING device_code_digest`,
        [
          record.deviceCodeDigest,
          record.userCode,
          record.clientId,
          record.clientName,
          record.scope,
          record.expiresAt,
          record.intervalSeconds,
          record.lastPolledAt,
          record.state,
          record.userId,
          record.failedSignIns,
        ],
      )
      return inserted.length === 1
    },
    async count() {
      const [row] = await db.all('SELECT COUNT(*) AS total FROM device_authorizations')
      return Number(row?.total ?? 0)
    },
    async findByDeviceDigest(digest) {
      const [row] = await db.all('SELECT * FROM device_authorizations WHERE device_code_digest = ?', [digest])
      return row == null ? undefined : recordFromRow(row)
    },
    async findByUserCode(userCode) {
      const [row] = await db.all('SELECT * FROM device_authorizations WHERE user_code = ?', [userCode])
      return row == null ? undefined : recordFromRow(row)
    },
    async decide(userCode, decision, now) {
      const changed = await db.all(
        `UPDATE device_authorizations SET state = ?, user_id = ?
         WHERE user_code = ? AND state = 'pending' AND expires_at > ? RETURNING user_code`,
        [decision.state, decision.state === 'approved' ? decision.userId : null, userCode, now],
      )
      return changed.length === 1
    },
    async recordFailedSignIn(userCode, now, maxFailures) {
      const [row] = await db.all(
        `UPDATE device_authorizations SET failed_sign_ins = failed_sign_ins + 1,
           state = CASE WHEN failed_sign_ins + 1 >= ? THEN 'denied' ELSE state END
         WHERE user_code = ? AND state = 'pending' AND expires_at > ? RETURNING state`,
        [maxFailures, userCode, now],
      )
      return { locked: row == null || row.state !== 'pending' }
    },
    async recordPoll(digest, polledAt, intervalSeconds) {
      await db.all('UPDATE device_authorizations SET last_polled_at = ?, interval_seconds = ? WHERE device_code_digest = ?', [
        polledAt,
        intervalSeconds,
        digest,
      ])
    },
    async markUsed(digest) {
      const changed = await db.all(
        `UPDATE device_authorizations SET state = 'used' WHERE device_code_digest = ? AND state = 'approved' RETURNING device_code_digest`,
        [digest],
      )
      return changed.length === 1
    },
    async deleteExpiredBefore(at) {
      await db.all('DELETE FROM device_authorizations WHERE expires_at < ?', [at])
    },
  }
}

function recordFromRow(row: SqlRow): DeviceAuthorizationRecord {
  return {
    deviceCodeDigest: String(row.device_code_digest),
    userCode: String(row.user_code),
    clientId: String(row.client_id),
    clientName: String(row.client_name),
    scope: String(row.scope),
    expiresAt: Number(row.expires_at),
    intervalSeconds: Number(row.interval_seconds),
    lastPolledAt: row.last_polled_at == null ? null : Number(row.last_polled_at),
    state: String(row.state) as DeviceAuthorizationRecord['state'],
    userId: row.user_id == null ? null : String(row.user_id),
    failedSignIns: Number(row.failed_sign_ins),
  }
}
