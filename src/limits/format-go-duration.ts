/**
 * OpenAI's `x-ratelimit-reset-*` values are Go durations: `250ms`, `1s`, `12.5s`, `1m0s`.
 * Rounded to the millisecond; only minutes and seconds are needed for our windows.
 */
export function formatGoDuration(milliseconds: number): string {
  const ms = Math.max(0, Math.ceil(milliseconds))
  if (ms === 0) return '0s'
  if (ms < 1000) return `${ms}ms`
  const minutes = Math.floor(ms / 60_000)
  const seconds = formatSeconds(ms - minutes * 60_000)
  return minutes > 0 ? `${minutes}m${seconds}s` : `${seconds}s`
}

function formatSeconds(ms: number): string {
  const whole = Math.floor(ms / 1000)
  const fraction = ms % 1000
  if (fraction === 0) return String(whole)
  return `${whole}.${String(fraction).padStart(3, '0').replace(/0+$/, '')}`
}
