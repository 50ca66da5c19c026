import { randomBytes } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createSecretBox, parseSecretKey, type SecretBox } from './secret-box.ts'

/**
 * The key that seals provider credentials at rest:
 * - SWITCHYARD_SECRET_KEY when set (required for PostgreSQL, where every replica needs the same key);
 * - for a SQLite file without it, a key file beside the database (`<file>.secret-key`, mode 0600),
 *   created at first start: a copy of the database alone does not reveal the credentials;
 * - for an in-memory database, a key that lives as long as the process, like the data.
 * Undefined (PostgreSQL without a key) means provider credentials cannot be stored.
 */
export function resolveSecretBox(options: {
  databaseUrl: string
  secretKey: Uint8Array | undefined
  previousSecretKey: Uint8Array | undefined
}): SecretBox | undefined {
  const previous = options.previousSecretKey == null ? [] : [options.previousSecretKey]
  if (options.secretKey != null) return createSecretBox(options.secretKey, previous)
  if (!options.databaseUrl.startsWith('sqlite:')) return undefined
  const path = options.databaseUrl.slice('sqlite:'.length)
  if (path === ':memory:' || path === '') return createSecretBox(new Uint8Array(randomBytes(32)), previous)
  return createSecretBox(readOrCreateKeyFile(`${path}.secret-key`), previous)
}

function readOrCreateKeyFile(path: string): Uint8Array {
  if (!existsSync(path)) {
    try {
      // `wx`: if another process created it first, read theirs below.
      writeFileSync(path, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
  return parseSecretKey(readFileSync(path, 'utf8'))
}
