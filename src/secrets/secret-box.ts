import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'

/**
 * Authenticated encryption (AES-256-GCM) of small secrets stored in the database: provider
 * credentials entered through the admin API. A sealed value names the key that sealed it (the
 * first 8 hex digits of its SHA-256), so a rotation knows which rows still need the previous key
 * and a wrong key fails with a clear message instead of garbage. `context` is bound into the
 * tag (additional authenticated data): a sealed value copied into another row does not open.
 *
 *   sealed:v1:<key id>:<base64url(iv ‖ ciphertext ‖ tag)>
 */
export type SecretBox = {
  /** The key id sealed values carry. */
  readonly keyId: string
  seal(plaintext: string, context: string): string
  /** Opens a value sealed by this box's key or one of its previous keys; throws on anything else. */
  open(sealed: string, context: string): string
  /** Whether `sealed` is sealed with the current key (false for plaintext and for previous keys). */
  isCurrent(sealed: string): boolean
}

export class SecretBoxError extends Error {
  override name = 'SecretBoxError'
}

const prefix = 'sealed:v1:'
const ivBytes = 12
const tagBytes = 16

export function isSealed(value: string): boolean {
  return value.startsWith(prefix)
}

export function keyIdOf(key: Uint8Array): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8)
}

/** `key` seals; `previousKeys` only open (during a rotation). Every key is 32 bytes. */
export function createSecretBox(key: Uint8Array, previousKeys: readonly Uint8Array[] = []): SecretBox {
  for (const candidate of [key, ...previousKeys]) {
    if (candidate.length !== 32) throw new SecretBoxError(`A secret key must be 32 bytes, not ${candidate.length}.`)
  }
  const keyId = keyIdOf(key)
  const keysById = new Map([...previousKeys, key].map((candidate) => [keyIdOf(candidate), candidate]))
  return {
    keyId,
    seal(plaintext, context) {
      const iv = randomBytes(ivBytes)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      cipher.setAAD(Buffer.from(context))
      const body = Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()])
      return `${prefix}${keyId}:${body.toString('base64url')}`
    },
    open(sealed, context) {
      if (!isSealed(sealed)) throw new SecretBoxError('The value is not sealed.')
      const separator = sealed.indexOf(':', prefix.length)
      const sealedBy = sealed.slice(prefix.length, separator)
      const sealingKey = keysById.get(sealedBy)
      if (separator === -1 || sealingKey == null) {
        throw new SecretBoxError(`Sealed with key ${sealedBy}, which is neither SWITCHYARD_SECRET_KEY nor SWITCHYARD_SECRET_KEY_PREVIOUS.`)
      }
      const body = Buffer.from(sealed.slice(separator + 1), 'base64url')
      if (body.length < ivBytes + tagBytes) throw new SecretBoxError('The sealed value is truncated.')
      const decipher = createDecipheriv('aes-256-gcm', sealingKey, body.subarray(0, ivBytes))
      decipher.setAAD(Buffer.from(context))
      decipher.setAuthTag(body.subarray(body.length - tagBytes))
      try {
        return Buffer.concat([decipher.update(body.subarray(ivBytes, body.length - tagBytes)), decipher.final()]).toString('utf8')
      } catch {
        throw new SecretBoxError('The sealed value does not authenticate: it was altered or belongs to another row.')
      }
    },
    isCurrent(sealed) {
      return sealed.startsWith(`${prefix}${keyId}:`)
    },
  }
}

/** Reads a 32-byte key written as 64 hex digits or as base64 (43–44 characters). */
export function parseSecretKey(text: string): Uint8Array {
  const trimmed = text.trim()
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64')
  if (bytes.length !== 32)
    throw new SecretBoxError('A secret key is 32 bytes, written as 64 hex digits or in base64 (openssl rand -base64 32).')
  return new Uint8Array(bytes)
}
