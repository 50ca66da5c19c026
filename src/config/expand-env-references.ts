import { type Document, isScalar, visit } from 'yaml'

/**
 * An unquoted YAML value that is exactly one reference (`port: ${PORT}`). YAML would have typed the
 * literal text, so the expanded text is typed the same way: a number or a boolean stays one. A
 * quoted reference (`api_key: "${KEY}"`) is always a string.
 */
export class PlainReference {
  constructor(readonly text: string) {}
}

const wholeReferencePattern = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/

/** Marks the document's plain scalars that are one whole reference, before it is turned into values. */
export function markPlainReferences(document: Document): void {
  visit(document, {
    Scalar(_key, node) {
      if (isScalar(node) && node.type === 'PLAIN' && typeof node.value === 'string' && wholeReferencePattern.test(node.value)) {
        node.value = new PlainReference(node.value)
      }
    },
  })
}

/**
 * Replaces `${NAME}` and `${NAME:-default}` in every string of a parsed YAML document. A reference to
 * an unset variable without a default is an error naming the field, so a typo fails at start, not
 * on the first request.
 */
export function expandEnvReferences(value: unknown, env: Readonly<Record<string, string | undefined>>, path: string[] = []): unknown {
  if (typeof value === 'string') return expandString(value, env, path)
  if (value instanceof PlainReference) return typedLikeYaml(expandString(value.text, env, path))
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

/** YAML 1.2's core schema for the plain scalars a config holds: numbers and booleans; anything else stays text. */
function typedLikeYaml(text: string): string | number | boolean {
  if (text === 'true') return true
  if (text === 'false') return false
  if (/^[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?$/.test(text)) return Number(text)
  return text
}
