/**
 * Guards user-code entry on the device page per client address (RFC 8628 §5.1: a user code has
 * only ~34.6 bits, so guessing must be slow). Two rules: at most `maxAttemptsPerWindow` form
 * submissions per window, and after `maxWrongCodes` unknown codes the address is locked out
 * for `lockoutMs`. Memory only: a single gateway process guards its own page.
 */
export function createEntryGuard(options: {
  now: () => number
  maxAttemptsPerWindow?: number
  windowMs?: number
  maxWrongCodes?: number
  lockoutMs?: number
}) {
  const maxAttempts = options.maxAttemptsPerWindow ?? 20
  const windowMs = options.windowMs ?? 10 * 60_000
  const maxWrongCodes = options.maxWrongCodes ?? 5
  const lockoutMs = options.lockoutMs ?? 15 * 60_000
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
    /** Call before looking at a submitted code; `allowed: false` means answer 429. */
    admit(address: string): { allowed: true } | { allowed: false; retryAfterSeconds: number } {
      const now = options.now()
      const entry = entryFor(address)
      if (entry.lockedUntil > now) return { allowed: false, retryAfterSeconds: Math.ceil((entry.lockedUntil - now) / 1000) }
      entry.attempts += 1
      if (entry.attempts > maxAttempts) return { allowed: false, retryAfterSeconds: Math.ceil((entry.windowStart + windowMs - now) / 1000) }
      return { allowed: true }
    },
    recordWrongCode(address: string): void {
      const entry = entryFor(address)
      entry.wrongCodes += 1
      if (entry.wrongCodes >= maxWrongCodes) entry.lockedUntil = options.now() + lockoutMs
    },
  }
}

export type EntryGuard = ReturnType<typeof createEntryGuard>
