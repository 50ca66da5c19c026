import { expect, test } from 'bun:test'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { startSqliteWriteThread } from './sqlite-write-thread.ts'

test('a write worker that cannot open its database is reported unusable, refuses writes and closes at once', async () => {
  // A directory is not a database file: the worker's open fails.
  const directory = mkdtempSync(`${tmpdir()}/switchyard-write-thread-`)
  try {
    const thread = startSqliteWriteThread(directory)
    for (let waited = 0; thread.usable() && waited < 5_000; waited += 10) await Bun.sleep(10)
    expect(thread.usable()).toBe(false)
    await expect(thread.insertRequestLog([])).rejects.toThrow('not running')
    await thread.close()
  } finally {
    rmSync(directory, { recursive: true, force: true })
  }
})
