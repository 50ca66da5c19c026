/**
 * Replaces `${NAME}` and `${NAME:-default}` in every string of a parsed YAML document. A reference to
 * an unset variable without a default is an error naming the field, so a typo fails at start, not
 * on the first request.
 */
export function expandEnvReferences(value: unknown, env: Readonly<Record<string, string | undefined>>, path: string[] = []): unknown {
  if (typeof value === 'string') return expandString(value, env, path)
  if (Array.isArray(value)) return value.map((item, index) => expandEnvReferences(item, env, [...path, String(index)]))
  if (typeof value === 'object' && value !== null) {
    const result: Record<string, unknown> = {}
    for (const [key, item] of Object.entries(value)) result[key] = expandEnvReferences(item, env, [...path, key])
    return result
  }
  return value
}

export class EnvReferenceError extends Error {
  constructor(
    readonly path: string[],
    readonly variable: string,
  ) {
    super(`${path.join('.')}: references \${${variable}}, which is not set (use \${${variable}:-default} for a default)`)
  }
}

const referencePattern = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g

function expandString(text: string, env: Readonly<Record<string, string | undefined>>, path: string[]): string {
  return text.replace(referencePattern, (_match, name: string, fallback: string | undefined) => {
    const value = env[name]
    if (value != null && value !== '') return value
    if (fallback != null) return fallback
    throw new EnvReferenceError(path, name)
  })
}
