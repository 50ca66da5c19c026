import { describe, expect, test } from 'bun:test'
import { DeadlineSweeper } from './deadline-sweeper.ts'

function entry(expiresAt: number, fired: string[], name: string, left = () => false) {
  return {
    expiresAt,
    deadlineSlot: -1,
    expire: () => fired.push(name),
    isAbandoned: left,
    abandon: () => fired.push(`${name} abandoned`),
  }
}

describe('DeadlineSweeper', () => {
  test('fires what is due, once, within a tick; leaves the rest; stops its timer when empty', async () => {
    let now = 0
    const sweeper = new DeadlineSweeper(() => now, 5)
    const fired: string[] = []
    const soon = entry(10, fired, 'soon')
    const later = entry(1_000, fired, 'later')
    const cleared = entry(10, fired, 'cleared')
    sweeper.add(soon)
    sweeper.add(cleared)
    sweeper.add(later)
    // Deleting from the middle moves the last entry into the freed slot; deleting twice is harmless.
    sweeper.delete(cleared)
    sweeper.delete(cleared)
    await Bun.sleep(20)
    expect(fired).toEqual([])
    now = 10
    await Bun.sleep(20)
    expect(fired).toEqual(['soon'])
    now = 1_000
    await Bun.sleep(20)
    expect(fired).toEqual(['soon', 'later'])
    // Nothing pending: no timer keeps the process busy (a new entry starts one again).
    expect((sweeper as unknown as { timer: unknown }).timer).toBeUndefined()
    sweeper.add(entry(1_000, fired, 'again'))
    await Bun.sleep(20)
    expect(fired).toEqual(['soon', 'later', 'again'])
  })

  test('on the real clock a deadline fires at most a tick or so late', async () => {
    const sweeper = new DeadlineSweeper()
    const started = performance.now()
    const firedAt = await new Promise<number>((resolve) =>
      sweeper.add({
        expiresAt: sweeper.time() + 30,
        deadlineSlot: -1,
        expire: () => resolve(performance.now()),
        isAbandoned: () => false,
        abandon: () => {},
      }),
    )
    expect(firedAt - started).toBeGreaterThanOrEqual(29)
    expect(firedAt - started).toBeLessThan(200)
  })

  test('a departed caller is abandoned within a tick, once, and never also expires', async () => {
    let now = 0
    const sweeper = new DeadlineSweeper(() => now, 5)
    const fired: string[] = []
    let gone = false
    sweeper.add(entry(100, fired, 'leaving', () => gone))
    sweeper.add(entry(100, fired, 'staying'))
    await Bun.sleep(20)
    expect(fired).toEqual([])
    gone = true
    await Bun.sleep(20)
    expect(fired).toEqual(['leaving abandoned'])
    now = 100
    await Bun.sleep(20)
    expect(fired).toEqual(['leaving abandoned', 'staying'])
  })
})
