import { expect, test } from 'bun:test'
import { spendMonthOf } from './row-mapping.ts'

test('spendMonthOf is the UTC month, also across the bounds it remembers', () => {
  const newYear = Date.UTC(2027, 0, 1)
  expect(spendMonthOf(newYear - 1)).toBe('2026-12')
  expect(spendMonthOf(newYear)).toBe('2027-01')
  expect(spendMonthOf(newYear - 1)).toBe('2026-12')
  expect(spendMonthOf(Date.UTC(2028, 1, 29, 23, 59, 59, 999))).toBe('2028-02')
  expect(spendMonthOf(Date.UTC(2028, 2, 1))).toBe('2028-03')
  expect(spendMonthOf(0)).toBe('1970-01')
  for (let at = Date.UTC(2026, 0, 1); at < Date.UTC(2027, 0, 1); at += 3_600_000 * 7 + 13) {
    expect(spendMonthOf(at)).toBe(new Date(at).toISOString().slice(0, 7))
  }
  expect(() => spendMonthOf(Number.NaN)).toThrow(RangeError)
})
