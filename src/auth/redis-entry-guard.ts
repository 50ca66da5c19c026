import type { RedisScriptRunner } from '../redis/redis-script-runner.ts'
import { defaultEntryGuardSettings, type EntryGuard, type EntryGuardSettings, refused } from './entry-guard.ts'

// Lua, so that each check-and-count is one atomic step however many replicas submit at once.

/**
 * KEYS: lockout, submissions in the window. ARGV: max submissions, window (ms).
 * Returns {1, 0} when admitted, else {0, milliseconds to wait}.
 */
const admitScript = `
local locked = redis.call('PTTL', KEYS[1])
if locked > 0 then return {0, locked} end
local attempts = redis.call('INCR', KEYS[2])
if attempts == 1 or redis.call('PTTL', KEYS[2]) < 0 then redis.call('PEXPIRE', KEYS[2], ARGV[2]) end
if attempts > tonumber(ARGV[1]) then return {0, redis.call('PTTL', KEYS[2])} end
return {1, 0}
`

/**
 * KEYS: wrong codes in the window, lockout. ARGV: max wrong codes, window (ms), lockout (ms).
 * The count that reaches the limit turns into a lockout.
 */
const wrongCodeScript = `
local wrong = redis.call('INCR', KEYS[1])
if wrong == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
if wrong >= tonumber(ARGV[1]) then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  redis.call('DEL', KEYS[1])
end
return wrong
`

/**
 * The device page's abuse limits counted in Redis, so an address gets the same budget behind any
 * number of replicas (in memory, each replica would give it a budget of its own). Each window
 * starts at the address's first submission (or first wrong code) and its counter expires with it.
 * A Redis failure is thrown: the page answers 503 rather than let guesses through uncounted.
 */
export function createRedisEntryGuard(options: {
  runScript: RedisScriptRunner
  keyPrefix: string
  settings?: EntryGuardSettings
}): EntryGuard {
  const { runScript, keyPrefix } = options
  const { maxAttemptsPerWindow, windowMs, maxWrongCodes, lockoutMs } = options.settings ?? defaultEntryGuardSettings
  // The braces make an address's keys one hash slot, so the scripts also run on Redis Cluster.
  const keysOf = (address: string) => {
    const base = `${keyPrefix}device-guard:{${address}}:`
    return { lockout: `${base}lockout`, attempts: `${base}attempts`, wrongCodes: `${base}wrong` }
  }

  return {
    async admit(address) {
      const keys = keysOf(address)
      const [admitted, waitMs] = (await runScript(
        admitScript,
        [keys.lockout, keys.attempts],
        [String(maxAttemptsPerWindow), String(windowMs)],
      )) as [number, number]
      return admitted === 1 ? { allowed: true } : refused(waitMs)
    },
    async recordWrongCode(address) {
      const keys = keysOf(address)
      await runScript(wrongCodeScript, [keys.wrongCodes, keys.lockout], [String(maxWrongCodes), String(windowMs), String(lockoutMs)])
    },
  }
}
