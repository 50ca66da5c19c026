/**
 * Finds the JSON value in a model's answer: the whole text, the first ```json (or bare ```) fence,
 * or the first balanced `{…}` / `[…]` inside surrounding prose that parses. TokenHub only looked at
 * a ```json fence or text starting with `{`; models wrap JSON in prose far more often than that.
 */
export function extractJson(content: string): { found: true; value: unknown; text: string } | { found: false } {
  const trimmed = content.trim()
  const whole = tryParse(trimmed)
  if (whole.found) return whole
  for (const fence of trimmed.matchAll(/```[a-zA-Z0-9_-]*[ \t]*\r?\n([\s\S]*?)```/g)) {
    const fenced = tryParse((fence[1] ?? '').trim())
    if (fenced.found) return fenced
  }
  for (let start = 0; start < trimmed.length; start++) {
    const character = trimmed[start]
    if (character !== '{' && character !== '[') continue
    const end = findBalancedEnd(trimmed, start)
    if (end === -1) continue
    const candidate = tryParse(trimmed.slice(start, end + 1))
    if (candidate.found) return candidate
  }
  return { found: false }
}

function tryParse(text: string): { found: true; value: unknown; text: string } | { found: false } {
  if (text === '') return { found: false }
  try {
    return { found: true, value: JSON.parse(text), text }
  } catch {
    return { found: false }
  }
}

/** Index of the bracket closing the one at `start`, skipping brackets inside strings; -1 if none. */
function findBalancedEnd(text: string, start: number): number {
  let depth = 0
  let inString = false
  for (let index = start; index < text.length; index++) {
    const character = text[index]
    if (inString) {
      if (character === '\\') index++
      else if (character === '"') inString = false
      continue
    }
    if (character === '"') inString = true
    else if (character === '{' || character === '[') depth++
    else if (character === '}' || character === ']') {
      depth--
      if (depth === 0) return index
    }
  }
  return -1
}
