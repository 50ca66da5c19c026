// RFC 8628 §6.1: user codes from a base-20 alphabet of consonants (no vowels, so no words; no
// look-alike characters), 8 characters ≈ 34.6 bits, shown as XXXX-XXXX.

export const userCodeAlphabet = 'BCDFGHJKLMNPQRSTVWXZ'
const userCodeLength = 8

export function generateUserCode(): string {
  let code = ''
  while (code.length < userCodeLength) {
    // 240 = 12 × 20: bytes at or above it are dropped so every letter is equally likely.
    for (const byte of crypto.getRandomValues(new Uint8Array(16))) {
      if (byte < 240 && code.length < userCodeLength) code += userCodeAlphabet[byte % 20]
    }
  }
  return code
}

export function formatUserCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`
}

/** What a person typed → the stored form: upper-cased, dashes, spaces and punctuation dropped. */
export function normalizeUserCode(typed: string): string {
  return typed.toUpperCase().replace(/[^A-Z]/g, '')
}
