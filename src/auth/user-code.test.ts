import { describe, expect, test } from 'bun:test'
import { formatUserCode, generateUserCode, normalizeUserCode, userCodeAlphabet } from './user-code.ts'

describe('user codes (RFC 8628 §6.1)', () => {
  test('8 characters of the base-20 alphabet, every letter used', () => {
    const seen = new Set<string>()
    for (let index = 0; index < 500; index++) {
      const code = generateUserCode()
      expect(code).toMatch(new RegExp(`^[${userCodeAlphabet}]{8}$`))
      for (const letter of code) seen.add(letter)
    }
    expect(seen.size).toBe(20)
  })

  test('shown as XXXX-XXXX; typed input is upper-cased with dashes and spaces dropped', () => {
    expect(formatUserCode('WDJBMJHT')).toBe('WDJB-MJHT')
    expect(normalizeUserCode(' wdjb-mjht ')).toBe('WDJBMJHT')
    expect(normalizeUserCode('WDJB MJHT')).toBe('WDJBMJHT')
  })
})
