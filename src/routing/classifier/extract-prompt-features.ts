import { type KeywordDimension, keywordDimensions, keywordLists } from './keyword-lists.ts'

/**
 * Cheap prompt features for the auto-router, computed in one pass over the characters:
 * hashed word unigrams and bigrams (the "hashing trick") plus a few dense hand features
 * of the ClawRouter kind. Training (scripts/router-train.ts) and the runtime classifier both
 * call this function, so the features they see can never drift apart.
 *
 * Performance notes (the gateway calls this on every `model: "router"` request):
 * - all buffers are module-level and reused; a call allocates nothing;
 * - no regular expressions, no `toLowerCase()` copy of the prompt, no string slicing;
 * - prompts longer than `maxScannedChars` are scanned head + tail only, so the cost is bounded.
 */

export const handFeatureNames = [
  'logChars',
  'logWords',
  'digitShare',
  'mathSymbols',
  'codeMarkers',
  'questionMarks',
  'newlines',
  'upperShare',
  'nonAsciiShare',
  'meanWordLength',
  'longWordShare',
  'numberTokens',
  ...keywordDimensions.map((dimension) => `keyword.${dimension}`),
] as const

export type PromptFeatures = {
  /** Distinct hashed buckets that fired; only the first `hashedCount` entries are valid. */
  readonly hashedBuckets: Int32Array
  hashedCount: number
  /** Raw (unstandardised) hand features, in `handFeatureNames` order. */
  readonly hand: Float64Array
}

/** The largest hash space a model may use (2^16 buckets). */
export const maxHashBits = 16
// Only the first 1,536 and last 512 characters are scanned (98% of the training prompts are
// shorter than that; ClawRouter samples just 500). The full length still feeds `logChars`.
// This is what keeps a 2,000-token prompt under the 50 µs budget: even an empty loop over
// 8,000 characters costs ~20 µs on a small VM.
const maxScannedHead = 1_536
const maxScannedTail = 512

const bucketSeen = new Uint8Array(1 << maxHashBits)
const features: PromptFeatures = {
  hashedBuckets: new Int32Array(1 << maxHashBits),
  hashedCount: 0,
  hand: new Float64Array(handFeatureNames.length),
}
const keywordFeatureOffset = handFeatureNames.length - keywordDimensions.length
const fnvOffset = 0x811c9dc5 | 0
const fnvPrime = 0x01000193

/** murmur3's finaliser: spreads FNV's weak low bits before we mask them into buckets. */
function mixHash(value: number): number {
  let mixed = value ^ (value >>> 16)
  mixed = Math.imul(mixed, 0x85ebca6b)
  mixed ^= mixed >>> 13
  mixed = Math.imul(mixed, 0xc2b2ae35)
  return mixed ^ (mixed >>> 16)
}

function combineBigram(previous: number, current: number): number {
  return Math.imul(previous, 0x9e3779b1) ^ current
}

/** Lower-cases ASCII and folds every digit to '0' so numbers hash by shape, not value. */
function foldCharCode(code: number): number {
  if (code >= 65 && code <= 90) return code + 32
  if (code >= 48 && code <= 57) return 48
  return code
}

function isWordCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || (code >= 128 && code < 0x2000)
}

/** Hashes of a phrase's first one or two words, the way the scanner hashes them. */
function hashPhrase(phrase: string): number {
  const wordHashes: number[] = []
  let hash = fnvOffset
  let inWord = false
  for (let index = 0; index <= phrase.length; index++) {
    const code = index < phrase.length ? foldCharCode(phrase.charCodeAt(index)) : 32
    if (isWordCode(code)) {
      hash = Math.imul(hash ^ code, fnvPrime)
      inWord = true
    } else if (inWord) {
      wordHashes.push(hash)
      hash = fnvOffset
      inWord = false
    }
  }
  const first = wordHashes[0] ?? 0
  const second = wordHashes[1]
  return second === undefined ? first : combineBigram(first, second)
}

// Open-addressing table from a word (or bigram) hash to its keyword dimension: one typed-array
// probe per word instead of a Map lookup or a substring search per keyword.
const keywordTableBits = 10
const keywordTableMask = (1 << keywordTableBits) - 1
const keywordKeys = new Int32Array(1 << keywordTableBits)
const keywordValues = new Uint8Array(1 << keywordTableBits)
keywordDimensions.forEach((dimension: KeywordDimension, dimensionIndex) => {
  for (const phrase of keywordLists[dimension]) {
    const key = hashPhrase(phrase)
    let slot = (mixHash(key) >>> 16) & keywordTableMask
    while (keywordValues[slot] !== 0 && keywordKeys[slot] !== key) {
      slot = (slot + 1) & keywordTableMask
    }
    keywordKeys[slot] = key
    keywordValues[slot] = dimensionIndex + 1
  }
})

/** `mixed` is mixHash(key), already computed for the bucket; its high bits pick the slot. */
function countKeyword(key: number, mixed: number, hand: Float64Array): void {
  let slot = (mixed >>> 16) & keywordTableMask
  while (keywordValues[slot] !== 0) {
    if (keywordKeys[slot] === key) {
      const featureIndex = keywordFeatureOffset + (keywordValues[slot] ?? 1) - 1
      hand[featureIndex] = (hand[featureIndex] ?? 0) + 1
      return
    }
    slot = (slot + 1) & keywordTableMask
  }
}

/** Records a hashed feature once per prompt (binary features); returns the new count. */
function markBucket(bucket: number, buckets: Int32Array, count: number): number {
  if (bucketSeen[bucket] !== 0) return count
  bucketSeen[bucket] = 1
  buckets[count] = bucket
  return count + 1
}

/**
 * Extracts features of `text` into the module's reused buffers and returns them. The returned
 * object is only valid until the next call: copy what you need to keep.
 */
export function extractPromptFeatures(text: string, hashBits: number): PromptFeatures {
  const buckets = features.hashedBuckets
  const hand = features.hand
  for (let index = 0; index < features.hashedCount; index++) bucketSeen[buckets[index] ?? 0] = 0
  hand.fill(0)
  // All scanner state lives in locals: module-level `let`s are markedly slower in the hot loop.
  const bucketMask = (1 << hashBits) - 1
  let hashedCount = 0
  let wordHash = fnvOffset
  let wordLength = 0
  let wordIsNumber = true
  let previousWordHash = 0
  let words = 0
  let wordCharacters = 0
  let longWords = 0
  let numberTokens = 0
  let digits = 0
  let mathSymbols = 0
  let codeMarkers = 0
  let questionMarks = 0
  let newlines = 0
  let uppercase = 0
  let nonAscii = 0

  const length = text.length
  const scanWhole = length <= maxScannedHead + maxScannedTail
  // One or two ranges: the whole prompt, or its head and tail. Each range runs one step past its
  // end with a virtual space so the last word is flushed by the same code as every other word.
  for (let range = 0; range < (scanWhole ? 1 : 2); range++) {
    const start = scanWhole || range === 0 ? 0 : length - maxScannedTail
    const end = scanWhole ? length : range === 0 ? maxScannedHead : length
    previousWordHash = 0
    for (let index = start; index <= end; index++) {
      const code = index < end ? text.charCodeAt(index) : 32
      // Lower-case ASCII letters are most of any prompt: give them the shortest path.
      if (code >= 97 && code <= 122) {
        wordHash = Math.imul(wordHash ^ code, fnvPrime)
        wordLength++
        wordIsNumber = false
        continue
      }
      if (code >= 65 && code <= 90) {
        uppercase++
        wordHash = Math.imul(wordHash ^ (code + 32), fnvPrime)
        wordLength++
        wordIsNumber = false
        continue
      }
      if (code >= 48 && code <= 57) {
        digits++
        wordHash = Math.imul(wordHash ^ 48, fnvPrime) // numbers hash by shape, not value
        wordLength++
        continue
      }
      if (code >= 128) {
        nonAscii++
        if (code < 0x2000) {
          wordHash = Math.imul(wordHash ^ code, fnvPrime)
          wordLength++
          wordIsNumber = false
          continue
        }
      }
      // CJK and other unspaced scripts: each character is a word of its own, so bigrams become
      // character bigrams, the usual cheap tokenisation for these scripts.
      const isUnspacedScript = code >= 0x2e80
      for (let pass = isUnspacedScript ? 0 : 1; pass < 2; pass++) {
        if (wordLength > 0) {
          const mixed = mixHash(wordHash)
          hashedCount = markBucket(mixed & bucketMask, buckets, hashedCount)
          countKeyword(wordHash, mixed, hand)
          if (previousWordHash !== 0) {
            const bigram = combineBigram(previousWordHash, wordHash)
            const mixedBigram = mixHash(bigram)
            hashedCount = markBucket(mixedBigram & bucketMask, buckets, hashedCount)
            countKeyword(bigram, mixedBigram, hand)
          }
          words++
          wordCharacters += wordLength
          if (wordLength >= 10) longWords++
          if (wordIsNumber) numberTokens++
          previousWordHash = wordHash
        }
        wordHash = fnvOffset
        wordLength = 0
        wordIsNumber = true
        if (pass === 0) {
          // Flush the previous word (pass 0), then the CJK character itself (pass 1).
          wordHash = Math.imul(fnvOffset ^ code, fnvPrime)
          wordLength = 1
          wordIsNumber = false
        }
      }
      if (isUnspacedScript) continue
      switch (code) {
        case 43:
        case 42:
        case 47:
        case 61:
        case 94:
        case 60:
        case 62:
        case 37: // + * / = ^ < > %
          mathSymbols++
          break
        case 123:
        case 125:
        case 59:
        case 96:
        case 40:
        case 41:
        case 91:
        case 93: // { } ; ` ( ) [ ]
          codeMarkers++
          break
        case 63:
          questionMarks++
          break
        case 10:
          newlines++
          // A line break ends a sentence often enough that a bigram across it is noise.
          previousWordHash = 0
          break
      }
    }
  }
  features.hashedCount = hashedCount

  const scanned = Math.max(1, Math.min(length, maxScannedHead + maxScannedTail))
  hand[0] = Math.log1p(length)
  hand[1] = Math.log1p(words)
  hand[2] = digits / scanned
  hand[3] = Math.log1p(mathSymbols)
  hand[4] = Math.log1p(codeMarkers)
  hand[5] = Math.log1p(questionMarks)
  hand[6] = Math.log1p(newlines)
  hand[7] = uppercase / scanned
  hand[8] = nonAscii / scanned
  hand[9] = words === 0 ? 0 : wordCharacters / words
  hand[10] = words === 0 ? 0 : longWords / words
  hand[11] = Math.log1p(numberTokens)
  for (let index = keywordFeatureOffset; index < hand.length; index++) {
    hand[index] = Math.log1p(hand[index] ?? 0)
  }
  return features
}
