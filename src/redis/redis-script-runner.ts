import type { RedisClient } from 'bun'
import { reconnectInBackground } from './reconnect-in-background.ts'

/** Runs a Lua script with its keys and arguments; Redis runs it with nothing interleaved. */
export type RedisScriptRunner = (script: string, keys: readonly string[], args: readonly string[]) => Promise<unknown>

/**
 * One round trip per call: EVALSHA of the script's SHA-1, and the script itself only when Redis
 * does not know it (after a restart or SCRIPT FLUSH). The client gives up after its own retries,
 * so a failure starts a reconnect in the background and the next call after an outage finds it.
 */
export function createRedisScriptRunner(client: RedisClient): RedisScriptRunner {
  const shas = new Map<string, string>()

  return async function runScript(script, keys, args) {
    let sha = shas.get(script)
    if (sha == null) {
      sha = new Bun.CryptoHasher('sha1').update(script).digest('hex')
      shas.set(script, sha)
    }
    const rest = [String(keys.length), ...keys, ...args]
    try {
      return await client.send('EVALSHA', [sha, ...rest])
    } catch (error) {
      if ((error as Error).message?.startsWith('NOSCRIPT') !== true) {
        reconnectInBackground(client)
        throw error
      }
      return await client.send('EVAL', [script, ...rest])
    }
  }
}
