import { describe, expect, test } from 'bun:test'
import { writeInBatches } from './write-in-batches.ts'

describe('writeInBatches', () => {
  test('writes every row in order, at most maxBatch at a time', async () => {
    const batches: number[][] = []
    const result = await writeInBatches([1, 2, 3, 4, 5, 6, 7], 3, async (batch) => {
      batches.push([...batch])
    })
    expect(batches).toEqual([[1, 2, 3], [4, 5, 6], [7]])
    expect(result.unwritten).toEqual([])
  })

  test('stops at the first failure and hands back the failed batch and everything after it', async () => {
    const written: number[] = []
    const failure = new Error('disk full')
    const result = await writeInBatches([1, 2, 3, 4, 5], 2, async (batch) => {
      if (batch.includes(3)) throw failure
      written.push(...batch)
    })
    expect(written).toEqual([1, 2])
    expect(result.unwritten).toEqual([3, 4, 5])
    expect(result.error).toBe(failure)
  })

  test('a first batch that fails hands back all the rows', async () => {
    const rows = [1, 2]
    const result = await writeInBatches(rows, 10, async () => {
      throw new Error('down')
    })
    expect(result.unwritten).toEqual([1, 2])
  })
})
