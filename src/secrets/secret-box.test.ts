import { describe, expect, test } from 'bun:test'
import { randomBytes } from 'node:crypto'
import { createSecretBox, isSealed, parseSecretKey } from './secret-box.ts'

describe('SecretBox', () => {
  const key = new Uint8Array(randomBytes(32))
  const other = new Uint8Array(randomBytes(32))

  test('seals so the plaintext is not in the output, and opens it again', () => {
    const box = createSecretBox(key)
    const sealed = box.seal('{"api_key":"sk-canary-123"}', 'provider:lab')
    expect(isSealed(sealed)).toBe(true)
    expect(sealed).not.toContain('canary')
    expect(box.open(sealed, 'provider:lab')).toBe('{"api_key":"sk-canary-123"}')
    // A fresh IV every time: the same plaintext never seals to the same text.
    expect(box.seal('same', 'c')).not.toBe(box.seal('same', 'c'))
    expect(box.isCurrent(sealed)).toBe(true)
  })

  test('fails closed: another key, another row, or a changed byte does not open', () => {
    const sealed = createSecretBox(key).seal('secret', 'provider:lab')
    expect(() => createSecretBox(other).open(sealed, 'provider:lab')).toThrow(/neither SWITCHYARD_SECRET_KEY nor/)
    expect(() => createSecretBox(key).open(sealed, 'provider:other')).toThrow(/does not authenticate/)
    const flipped = `${sealed.slice(0, -2)}${sealed.at(-2) === 'A' ? 'B' : 'A'}${sealed.at(-1)}`
    expect(() => createSecretBox(key).open(flipped, 'provider:lab')).toThrow(/does not authenticate|truncated/)
    expect(() => createSecretBox(key).open('plain text', 'provider:lab')).toThrow(/not sealed/)
  })

  test('a rotation opens values of the previous key and seals with the new one', () => {
    const sealedBefore = createSecretBox(key).seal('secret', 'c')
    const rotated = createSecretBox(other, [key])
    expect(rotated.isCurrent(sealedBefore)).toBe(false)
    expect(rotated.open(sealedBefore, 'c')).toBe('secret')
    expect(rotated.isCurrent(rotated.seal('secret', 'c'))).toBe(true)
  })

  test('keys are 32 bytes in hex or base64; anything else is refused', () => {
    expect(parseSecretKey(Buffer.from(key).toString('hex'))).toEqual(key)
    expect(parseSecretKey(Buffer.from(key).toString('base64'))).toEqual(key)
    expect(() => parseSecretKey('too short')).toThrow(/32 bytes/)
  })
})
