import { digestSecret } from '../accounts/api-key-secret.ts'
import type { DeviceAuthorizationRecord, Store } from '../store/store.ts'
import { formatUserCode, generateUserCode, normalizeUserCode } from './user-code.ts'

export const deviceCodeLifetimeSeconds = 600
export const defaultPollIntervalSeconds = 5
// A flood of device/code requests must not grow the table without end.
const maxPendingAuthorizations = 10_000
const maxWrongPasswordsPerCode = 5

export type StartedAuthorization = { deviceCode: string; userCode: string; expiresIn: number; interval: number }

export type PollResult =
  | { kind: 'approved'; userId: string; clientId: string; scope: string }
  | { kind: 'error'; error: 'authorization_pending' | 'slow_down' | 'expired_token' | 'access_denied' | 'invalid_grant'; interval?: number }

export type PendingView = { userCode: string; displayCode: string; clientId: string; clientName: string; scope: string }

/**
 * The state of RFC 8628 device authorizations, in the store so that any replica can take any step
 * of a login (start, the /device page, the token poll). Only the digest of the device code is
 * stored (a database dump does not yield a pollable code). Decisions and the exchange of an
 * approved code are conditional updates in the store, so they happen once however many replicas
 * are asked at the same moment. The clock is injected so expiry and polling speed can be tested.
 */
export function createDeviceFlowService(options: { store: Store['deviceAuthorizations']; now: () => number }) {
  const { store } = options

  const findPending = async (typedUserCode: string): Promise<DeviceAuthorizationRecord | undefined> => {
    const found = await store.findByUserCode(normalizeUserCode(typedUserCode))
    if (found == null || found.state !== 'pending' || found.expiresAt <= options.now()) return undefined
    return found
  }

  return {
    /** Undefined when too many logins are pending: the caller answers 503 and the client retries later. */
    async start(input: { clientId: string; clientName: string; scope: string }): Promise<StartedAuthorization | undefined> {
      // Expired rows are kept for one more lifetime so a late poll hears `expired_token`, not `invalid_grant`.
      await store.deleteExpiredBefore(options.now() - deviceCodeLifetimeSeconds * 1000)
      if ((await store.count()) >= maxPendingAuthorizations) return undefined
      // 32 bytes = 256 bits; RFC 8628 §5.2 asks for a device code that cannot be guessed.
      const deviceCode = Buffer.from(crypto.getRandomValues(new Uint8Array(32))).toString('base64url')
      const record: DeviceAuthorizationRecord = {
        deviceCodeDigest: digestSecret(deviceCode),
        userCode: generateUserCode(),
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
      // A user code already in use (one in ~10^10 per pending login) is drawn again.
      while (!(await store.insert(record))) record.userCode = generateUserCode()
      return {
        deviceCode,
        userCode: formatUserCode(record.userCode),
        expiresIn: deviceCodeLifetimeSeconds,
        interval: defaultPollIntervalSeconds,
      }
    },

    /** The token endpoint's view (RFC 8628 §3.4–3.5). An approved code is exchanged exactly once. */
    async poll(deviceCode: string, clientId: string): Promise<PollResult> {
      const digest = digestSecret(deviceCode)
      const authorization = await store.findByDeviceDigest(digest)
      if (authorization == null || authorization.state === 'used' || authorization.clientId !== clientId) {
        return { kind: 'error', error: 'invalid_grant' }
      }
      const now = options.now()
      if (authorization.expiresAt <= now) return { kind: 'error', error: 'expired_token' }
      if (authorization.state === 'denied') return { kind: 'error', error: 'access_denied' }
      if (authorization.state === 'approved' && authorization.userId != null) {
        if (!(await store.markUsed(digest))) return { kind: 'error', error: 'invalid_grant' }
        return { kind: 'approved', userId: authorization.userId, clientId: authorization.clientId, scope: authorization.scope }
      }
      const previous = authorization.lastPolledAt
      // §3.5: polling faster than the interval grows it by 5 s for this and every later request.
      const tooSoon = previous != null && now - previous < authorization.intervalSeconds * 1000
      const intervalSeconds = tooSoon ? authorization.intervalSeconds + 5 : authorization.intervalSeconds
      await store.recordPoll(digest, now, intervalSeconds)
      if (tooSoon) return { kind: 'error', error: 'slow_down', interval: intervalSeconds }
      return { kind: 'error', error: 'authorization_pending' }
    },

    /** What the device page shows before the user signs in: which client is asking. */
    async describe(typedUserCode: string): Promise<PendingView | undefined> {
      const found = await findPending(typedUserCode)
      if (found == null) return undefined
      return {
        userCode: found.userCode,
        displayCode: formatUserCode(found.userCode),
        clientId: found.clientId,
        clientName: found.clientName,
        scope: found.scope,
      }
    },

    approve(typedUserCode: string, userId: string): Promise<boolean> {
      return store.decide(normalizeUserCode(typedUserCode), { state: 'approved', userId }, options.now())
    },

    deny(typedUserCode: string): Promise<boolean> {
      return store.decide(normalizeUserCode(typedUserCode), { state: 'denied' }, options.now())
    },

    /** A wrong password against a code; after five the code is denied for good (RFC 8628 §5.1). */
    recordFailedSignIn(typedUserCode: string): Promise<{ locked: boolean }> {
      return store.recordFailedSignIn(normalizeUserCode(typedUserCode), options.now(), maxWrongPasswordsPerCode)
    },
  }
}

export type DeviceFlowService = ReturnType<typeof createDeviceFlowService>
