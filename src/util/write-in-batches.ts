/**
 * Writes `rows` in order, at most `maxBatch` per call of `write`. Stops at the first failure and
 * returns the rows not written yet (the failed batch first), so the caller can put them back at
 * the head of its queue. Each row is copied at most once, however long the queue has grown: a
 * queue that is sliced from the front after every batch costs time quadratic in its length.
 */
export async function writeInBatches<T>(
  rows: T[],
  maxBatch: number,
  write: (batch: T[]) => Promise<unknown>,
): Promise<{ unwritten: T[]; error?: unknown }> {
  for (let start = 0; start < rows.length; start += maxBatch) {
    const batch = start === 0 && rows.length <= maxBatch ? rows : rows.slice(start, start + maxBatch)
    try {
      await write(batch)
    } catch (error) {
      return { unwritten: start === 0 ? rows : rows.slice(start), error }
    }
  }
  return { unwritten: [] }
}
