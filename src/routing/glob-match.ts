/**
 * Model globs of AllTokens' `allowed_models` / `blocked_models`: `*` matches any run of
 * characters (slashes included), `?` one character; everything else is literal, case-insensitive.
 * Compiled once per pattern; a request's patterns are few.
 */
export function compileGlob(pattern: string): (value: string) => boolean {
  if (!pattern.includes('*') && !pattern.includes('?')) {
    const lowered = pattern.toLowerCase()
    return (value) => value.toLowerCase() === lowered
  }
  const source = pattern
    .split('')
    .map((character) => (character === '*' ? '.*' : character === '?' ? '.' : character.replace(/[\\^$.|+()[\]{}]/g, '\\$&')))
    .join('')
  const expression = new RegExp(`^${source}$`, 'i')
  return (value) => expression.test(value)
}

/** True when any pattern matches the model's public id or one of its aliases. */
export function matchesAnyGlob(patterns: readonly string[], names: readonly string[]): boolean {
  for (const pattern of patterns) {
    const matches = compileGlob(pattern)
    for (const name of names) if (matches(name)) return true
  }
  return false
}
