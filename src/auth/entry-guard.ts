/**
 * Guards user-code entry on the device page per client address (RFC 8628 §5.1: a user code has
 * only ~34.6 bits, so guessing must be slow). Two rules: at most `maxAttemptsPerWindow` form
 * submissions per window, and after `maxWrongCodes` unknown codes in a window the address is
 * locked out for `lockoutMs`. Two implementations keep these rules: this one in memory (one
 * gateway process guards its own page) and redis-entry-guard.ts (every replica counts together).
 */
export type EntryGuard = {
  /** Call before looking at a submitted code; `allowed: false` means answer 429. */
  admit(address: string): Promise<EntryAdmission>
  recordWrongCode(address: string): Promise<void>
}

export type EntryAdmission = { allowed: true } | { allowed: false; retryAfterSeconds: number }

export type EntryGuardSettings = {
  maxAttemptsPerWindow: number
  windowMs: number
  maxWrongCodes: number
  lockoutMs: number
}

export const defaultEntryGuardSettings: EntryGuardSettings = {
  maxAttemptsPerWindow: 20,
  windowMs: 10 * 60_000,
  maxWrongCodes: 5,
  lockoutMs: 15 * 60_000,
}

export function createEntryGuard(options: { now: () => number; settings?: EntryGuardSettings }): EntryGuard {
  const { maxAttemptsPerWindow, windowMs, maxWrongCodes, lockoutMs } = options.settings ?? defaultEntryGuardSettings
  const byAddress = new Map<string, { windowStart: number; attempts: number; wrongCodes: number; lockedUntil: number }>()

  const entryFor = (address: string) => {
    const now = options.now()
    let entry = byAddress.get(address)
    if (entry == null || (now - entry.windowStart >= windowMs && entry.lockedUntil <= now)) {
      entry = { windowStart: now, attempts: 0, wrongCodes: 0, lockedUntil: 0 }
      byAddress.set(address, entry)
    }
    if (byAddress.size > 100_000) byAddress.clear() // bounded memory under a spray of addresses
    return entry
  }

  return {
    async admit(address) {
      const now = options.now()
      const entry = entryFor(address)
      if (entry.lockedUntil > now) return refused(entry.lockedUntil - now)
      entry.attempts += 1
      if (entry.attempts > maxAttemptsPerWindow) return refused(entry.windowStart + windowMs - now)
      return { allowed: true }
    },
    async recordWrongCode(address) {
      const entry = entryFor(address)
      entry.wrongCodes += 1
      if (entry.wrongCodes >= maxWrongCodes) entry.lockedUntil = options.now() + lockoutMs
    },
  }
}

export function refused(waitMs: number): EntryAdmission {
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) }
}
