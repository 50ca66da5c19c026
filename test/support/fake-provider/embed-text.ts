export const embeddingDimensions = 8

/**
 * A deterministic unit vector of 8 float32-exact numbers derived from the text (FNV-1a per
 * dimension), so the JSON and base64 encodings decode to identical values.
 */
export function embedText(text: string): number[] {
  const values: number[] = []
  for (let dimension = 0; dimension < embeddingDimensions; dimension += 1) {
    let hash = 0x811c9dc5 ^ dimension
    for (let index = 0; index < text.length; index += 1) {
      hash ^= text.charCodeAt(index)
      hash = Math.imul(hash, 0x01000193)
    }
    values.push((hash >>> 0) / 0x80000000 - 1)
  }
  const length = Math.hypot(...values) || 1
  return values.map((value) => Math.fround(value / length))
}

/** OpenAI's `encoding_format: "base64"`: little-endian float32 bytes. */
export function encodeEmbeddingBase64(values: readonly number[]): string {
  return Buffer.from(new Float32Array(values).buffer).toString('base64')
}
