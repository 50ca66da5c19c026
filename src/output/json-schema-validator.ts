import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

// One Ajv instance for the process: compiling is the expensive part, so compiled validators are
// cached by the schema's JSON text (clients tend to send the same schema on every request).
const ajv = new Ajv2020({ allErrors: true, strict: false })
addFormats(ajv)
const compiled = new Map<string, ValidateFunction>()
const maxCachedSchemas = 500

export type JsonValidator = { validate(value: unknown): string[] }

/** Compiles a JSON Schema (draft 2020-12); throws an Error whose message says what is wrong. */
export function compileJsonSchema(schema: Record<string, unknown>): JsonValidator {
  const key = JSON.stringify(schema)
  let validateFunction = compiled.get(key)
  if (validateFunction == null) {
    validateFunction = ajv.compile(schema)
    if (compiled.size >= maxCachedSchemas) compiled.clear()
    compiled.set(key, validateFunction)
  }
  const check = validateFunction
  return {
    validate(value) {
      if (check(value)) return []
      return (check.errors ?? []).map(describeAjvError)
    },
  }
}

/** `/items/0/price: must be number` — the path a model needs to find its mistake. */
function describeAjvError(error: ErrorObject): string {
  const where = error.instancePath === '' ? '(root)' : error.instancePath
  const extra =
    error.keyword === 'additionalProperties'
      ? ` (\`${String((error.params as { additionalProperty?: string }).additionalProperty)}\`)`
      : error.keyword === 'enum'
        ? ` (${JSON.stringify((error.params as { allowedValues?: unknown }).allowedValues)})`
        : ''
  return `${where}: ${error.message ?? error.keyword}${extra}`
}
