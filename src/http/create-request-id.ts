const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'
const randomLength = 11
const alphabetCodes = Uint8Array.from(alphabet, (character) => character.charCodeAt(0))
const randomCodes = new Array<number>(randomLength).fill(0)

// Random bytes are drawn from the system CSPRNG in 4 KiB blocks, each byte used once: one
// `getRandomValues` call per ~300 ids instead of one (and a fresh Uint8Array) per request.
const pool = new Uint8Array(4096)
let poolIndex = pool.length

function nextRandomByte(): number {
  if (poolIndex === pool.length) {
    crypto.getRandomValues(pool)
    poolIndex = 0
  }
  return pool[poolIndex++] as number
}

let prefixMs = -1
let prefix = ''

/**
 * `req_` + the time in milliseconds (9 base-36 digits) + 11 random base-62 characters (65 bits).
 * The id is the request log's primary key, so ids that sort by time append to the end of its
 * B-tree; fully random ids scatter every insert across the whole index, and in the benchmark that
 * made each logged row cost 20–38 µs of the event loop's time instead of 7–10 µs once the table
 * held 50,000–300,000 rows (docs/benchmarks.md). Requests in the same millisecond share the prefix string.
 */
export function createRequestId(now: number = Date.now()): string {
  const ms = Math.floor(now)
  if (ms !== prefixMs) {
    prefixMs = ms
    prefix = `req_${ms.toString(36).padStart(9, '0')}`
  }
  let added = 0
  while (added < randomLength) {
    const byte = nextRandomByte()
    // 248 = 4 × 62: bytes above it are skipped so every character is equally likely.
    if (byte < 248) randomCodes[added++] = alphabetCodes[byte % 62] as number
  }
  // One flat string from character codes: appending character by character builds a rope that is
  // flattened again the first time the id is hashed (it keys maps and the request log).
  return prefix + String.fromCharCode(...randomCodes)
}
