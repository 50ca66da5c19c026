import { Database } from 'bun:sqlite'
import { describe, expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createSqliteStore } from './sqlite-store.ts'

function countRows(path: string): number {
  // A second connection sees only what was committed.
  const reader = new Database(path, { readonly: true })
  try {
    return (reader.query('SELECT COUNT(*) AS n FROM routing_explanations').get() as { n: number }).n
  } finally {
    reader.close()
  }
}

describe('SQLite routing explanations are written in batches', () => {
  test('a write is readable at once, committed within the interval, and flushed at close', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'switchyard-explanations-'))
    const path = join(directory, 'gateway.db')
    try {
      const store = createSqliteStore(path)
      await store.migrate()
      await store.routing.explanations.put('req_a', '{"n":1}', 1)
      await store.routing.explanations.put('req_a', '{"n":2}', 2)
      expect(await store.routing.explanations.get('req_a')).toBe('{"n":2}')
      expect(countRows(path)).toBe(0)
      await Bun.sleep(250)
      expect(countRows(path)).toBe(1)
      expect(await store.routing.explanations.get('req_a')).toBe('{"n":2}')
      await store.routing.explanations.put('req_b', '{"n":3}', 3)
      await store.close()
      expect(countRows(path)).toBe(2)
      const reopened = createSqliteStore(path)
      expect(await reopened.routing.explanations.get('req_b')).toBe('{"n":3}')
      await reopened.close()
    } finally {
      rmSync(directory, { recursive: true, force: true })
    }
  })
})
