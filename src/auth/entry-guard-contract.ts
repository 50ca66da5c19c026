import { describe, expect, test } from 'bun:test'
import type { EntryGuard, EntryGuardSettings } from './entry-guard.ts'

// The one suite both guards pass (entry-guard.test.ts, redis-entry-guard.test.ts). Real time with
// short windows, because Redis expires keys on its own clock; each test uses its own addresses.

export const contractSettings: EntryGuardSettings = { maxAttemptsPerWindow: 4, windowMs: 400, maxWrongCodes: 3, lockoutMs: 1_500 }

export function runEntryGuardContract(name: string, open: () => EntryGuard | Promise<EntryGuard>): void {
  describe(`device entry guard contract: ${name}`, () => {
    const address = () => `192.0.2.${Math.floor(Math.random() * 250)}:${crypto.randomUUID()}`

    test('an address gets a budget of submissions per window, and the next window a new one', async () => {
      const guard = await open()
      const client = address()
      for (let attempt = 0; attempt < contractSettings.maxAttemptsPerWindow; attempt++) {
        expect(await guard.admit(client)).toEqual({ allowed: true })
      }
      const refused = await guard.admit(client)
      expect(refused).toEqual({ allowed: false, retryAfterSeconds: 1 })
      // Another address is not touched.
      expect(await guard.admit(address())).toEqual({ allowed: true })
      await Bun.sleep(contractSettings.windowMs + 100)
      expect(await guard.admit(client)).toEqual({ allowed: true })
    })

    test('enough wrong codes lock the address out for the lockout, past the window', async () => {
      const guard = await open()
      const client = address()
      for (let wrong = 0; wrong < contractSettings.maxWrongCodes - 1; wrong++) {
        expect(await guard.admit(client)).toEqual({ allowed: true })
        await guard.recordWrongCode(client)
      }
      expect(await guard.admit(client)).toEqual({ allowed: true })
      await guard.recordWrongCode(client)
      const locked = await guard.admit(client)
      expect(locked).toEqual({ allowed: false, retryAfterSeconds: Math.ceil(contractSettings.lockoutMs / 1000) })
      // The lockout outlives the submission window...
      await Bun.sleep(contractSettings.windowMs + 100)
      expect((await guard.admit(client)).allowed).toBe(false)
      // ...and ends on time, with a fresh budget.
      await Bun.sleep(contractSettings.lockoutMs - contractSettings.windowMs)
      expect(await guard.admit(client)).toEqual({ allowed: true })
      await guard.recordWrongCode(client)
      expect(await guard.admit(client)).toEqual({ allowed: true })
    })

    test('wrong codes spread over windows do not add up', async () => {
      const guard = await open()
      const client = address()
      for (let wrong = 0; wrong < contractSettings.maxWrongCodes - 1; wrong++) await guard.recordWrongCode(client)
      await Bun.sleep(contractSettings.windowMs + 100)
      await guard.recordWrongCode(client)
      expect(await guard.admit(client)).toEqual({ allowed: true })
    })
  })
}
