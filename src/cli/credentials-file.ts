import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** What `switchyard login` stores: one session per gateway URL is enough for a CLI. */
export type StoredCredentials = {
  api_url: string
  access_token: string
  token_type: 'Bearer'
  expires_at: string
  created_at: string
}

/** `~/.switchyard`, honouring HOME so tests (and sandboxes) can point it elsewhere. */
export function switchyardHome(env: Readonly<Record<string, string | undefined>>): string {
  return join(env.HOME != null && env.HOME !== '' ? env.HOME : homedir(), '.switchyard')
}

/** Writes a secret file readable by its owner only (0600), in a directory only the owner can list (0700). */
export function writeSecretFile(path: string, text: string): void {
  const directory = join(path, '..')
  mkdirSync(directory, { recursive: true, mode: 0o700 })
  writeFileSync(path, text, { mode: 0o600 })
  // `mode` applies only when the file is created; an older file keeps its mode unless told.
  chmodSync(path, 0o600)
}

export function credentialsPath(env: Readonly<Record<string, string | undefined>>): string {
  return join(switchyardHome(env), 'credentials.json')
}

export function lastKeyPath(env: Readonly<Record<string, string | undefined>>): string {
  return join(switchyardHome(env), 'last_key.txt')
}

export function readCredentials(env: Readonly<Record<string, string | undefined>>): StoredCredentials | undefined {
  const path = credentialsPath(env)
  if (!existsSync(path)) return undefined
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<StoredCredentials>
    return typeof parsed.access_token === 'string' && typeof parsed.api_url === 'string' ? (parsed as StoredCredentials) : undefined
  } catch {
    return undefined
  }
}

export function writeCredentials(env: Readonly<Record<string, string | undefined>>, credentials: StoredCredentials): string {
  const path = credentialsPath(env)
  writeSecretFile(path, `${JSON.stringify(credentials, null, 2)}\n`)
  return path
}

export function deleteCredentials(env: Readonly<Record<string, string | undefined>>): boolean {
  const path = credentialsPath(env)
  if (!existsSync(path)) return false
  rmSync(path)
  return true
}

export function readLastKey(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const path = lastKeyPath(env)
  if (!existsSync(path)) return undefined
  const key = readFileSync(path, 'utf8').trim()
  return key === '' ? undefined : key
}
