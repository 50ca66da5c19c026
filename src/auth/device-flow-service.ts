import { digestSecret } from '../accounts/api-key-secret.ts'
import { formatUserCode, generateUserCode, normalizeUserCode } from './user-code.ts'

export const deviceCodeLifetimeSeconds = 600
export const defaultPollIntervalSeconds = 5
// Pending authorizations are memory; a flood of device/code requests must not grow it without end.
const maxPendingAuthorizations = 10_000
const maxWrongPasswordsPerCode = 5

type Authorization = {
  deviceCodeDigest: string
  userCode: string
  clientId: string
  clientName: string
  scope: string
  expiresAt: number
  intervalSeconds: number
  lastPolledAt: number | null
  state: 'pending' | 'approved' | 'denied' | 'used'
  userId: string | null
  failedSignIns: number
}

export type StartedAuthorization = { deviceCode: string; userCode: string; expiresIn: number; interval: number }

export type PollResult =
  | { kind: 'approved'; userId: string; clientId: string; scope: string }
  | { kind: 'error'; error: 'authorization_pending' | 'slow_down' | 'expired_token' | 'access_denied' | 'invalid_grant'; interval?: number }

export type PendingView = { userCode: string; displayCode: string; clientId: string; clientName: string; scope: string }

/**
 * The state of RFC 8628 device authorizations. They live at most ten minutes, so they are kept in
 * memory; only their digest of the device code is held (a memory dump does not yield a pollable
 * code). The clock is injected so expiry and polling speed can be tested.
 */
export function createDeviceFlowService(options: { now: () => number }) {
  const byDeviceDigest = new Map<string, Authorization>()
  const byUserCode = new Map<string, Authorization>()

  // Expired entries are kept for one more lifetime so a late poll hears `expired_token`, not `invalid_grant`.
  const sweep = () => {
    const now = options.now()
    for (const [digest, authorization] of byDeviceDigest) {
      if (authorization.expiresAt + deviceCodeLifetimeSeconds * 1000 < now) {
        byDeviceDigest.delete(digest)
        byUserCode.delete(authorization.userCode)
      }
    }
  }

  const findPending = (typedUserCode: string): Authorization | undefined => {
    const found = byUserCode.get(normalizeUserCode(typedUserCode))
    if (found == null || found.state !== 'pending' || found.expiresAt <= options.now()) return undefined
    return found
  }

  return {
    /** Undefined when too many logins are pending: the caller answers 503 and the client retries later. */
    start(input: { clientId: string; clientName: string; scope: string }): StartedAuthorization | undefined {
      sweep()
      if (byDeviceDigest.size >= maxPendingAuthorizations) return undefined
      // 32 bytes = 256 bits; RFC 8628 §5.2 asks for a device code that cannot be guessed.
      const deviceCode = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')
      let userCode = generateUserCode()
      while (byUserCode.has(userCode)) userCode = generateUserCode()
      const authorization: Authorization = {
        deviceCodeDigest: digestSecret(deviceCode),
        userCode,
        clientId: input.clientId,
        clientName: input.clientName,
        scope: input.scope,
        expiresAt: options.now() + deviceCodeLifetimeSeconds * 1000,
        intervalSeconds: defaultPollIntervalSeconds,
        lastPolledAt: null,
        state: 'pending',
        userId: null,
        failedSignIns: 0,
      }
      byDeviceDigest.set(authorization.deviceCodeDigest, authorization)
      byUserCode.set(userCode, authorization)
      return { deviceCode, userCode: formatUserCode(userCode), expiresIn: deviceCodeLifetimeSeconds, interval: defaultPollIntervalSeconds }
    },

    /** The token endpoint's view (RFC 8628 §3.4–3.5). An approved code is exchanged exactly once. */
    poll(deviceCode: string, clientId: string): PollResult {
      const authorization = byDeviceDigest.get(digestSecret(deviceCode))
      if (authorization == null || authorization.state === 'used' || authorization.clientId !== clientId) {
        return { kind: 'error', error: 'invalid_grant' }
      }
      const now = options.now()
      if (authorization.expiresAt <= now) return { kind: 'error', error: 'expired_token' }
      if (authorization.state === 'denied') return { kind: 'error', error: 'access_denied' }
      if (authorization.state === 'approved' && authorization.userId != null) {
        authorization.state = 'used'
        return { kind: 'approved', userId: authorization.userId, clientId: authorization.clientId, scope: authorization.scope }
      }
      const previous = authorization.lastPolledAt
      authorization.lastPolledAt = now
      if (previous != null && now - previous < authorization.intervalSeconds * 1000) {
        // §3.5: the interval grows by 5 s for this and every later request.
        authorization.intervalSeconds += 5
        return { kind: 'error', error: 'slow_down', interval: authorization.intervalSeconds }
      }
      return { kind: 'error', error: 'authorization_pending' }
    },

    /** What the device page shows before the user signs in: which client is asking. */
    describe(typedUserCode: string): PendingView | undefined {
      const found = findPending(typedUserCode)
      if (found == null) return undefined
      return {
        userCode: found.userCode,
        displayCode: formatUserCode(found.userCode),
        clientId: found.clientId,
        clientName: found.clientName,
        scope: found.scope,
      }
    },

    approve(typedUserCode: string, userId: string): boolean {
      const found = findPending(typedUserCode)
      if (found == null) return false
      found.state = 'approved'
      found.userId = userId
      return true
    },

    deny(typedUserCode: string): boolean {
      const found = findPending(typedUserCode)
      if (found == null) return false
      found.state = 'denied'
      return true
    },

    /** A wrong password against a code; after five the code is denied for good (RFC 8628 §5.1). */
    recordFailedSignIn(typedUserCode: string): { locked: boolean } {
      const found = findPending(typedUserCode)
      if (found == null) return { locked: true }
      found.failedSignIns += 1
      if (found.failedSignIns >= maxWrongPasswordsPerCode) found.state = 'denied'
      return { locked: found.state === 'denied' }
    },
  }
}

export type DeviceFlowService = ReturnType<typeof createDeviceFlowService>
