/** mulberry32: a tiny seeded PRNG, so training shuffles and random baselines are reproducible. */
export function createSeededRandom(seed: number): () => number {
  let state = seed >>> 0
  return function nextRandom(): number {
    state = (state + 0x6d2b79f5) >>> 0
    let mixed = state
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1)
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61)
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4_294_967_296
  }
}
