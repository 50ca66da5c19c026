import type { JsonObject, JsonValue } from '../../protocol/openai-chat-types.ts'
import type { GeminiSchema } from './gemini-request-types.ts'

// Gemini's `Schema` is a restricted OpenAPI 3.0 subset, and the WHOLE request fails with 400 on a
// keyword outside it (`$schema`, `additionalProperties`, `uniqueItems`, `exclusiveMinimum`, a
// list-typed `type`, `$ref`...). Tool schemas come from MCP servers, pydantic and zod and use all
// of these, so we rewrite them into the subset instead of forwarding them.

/** Keywords Gemini accepts verbatim. Everything not listed here (or handled below) is dropped. */
const passThroughKeywords = [
  'title',
  'description',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'minProperties',
  'maxProperties',
  'minimum',
  'maximum',
  'pattern',
  'example',
  'default',
  'propertyOrdering',
] as const

/** Gemini rejects any other `format` (e.g. `uri`, `email`) with 400. */
const supportedFormats: Readonly<Record<string, readonly string[]>> = {
  string: ['enum', 'date-time'],
  integer: ['int32', 'int64'],
  number: ['float', 'double'],
}

/** Recursive `$ref`s cannot be inlined forever; past this depth the node becomes a bare object. */
const maxReferenceDepth = 16

type SanitizeContext = { definitions: JsonObject; expanding: ReadonlySet<string> }

/** Rewrites a JSON Schema into the OpenAPI subset Gemini's `parameters` / `responseSchema` accept. */
export function sanitizeGeminiSchema(schema: JsonObject): GeminiSchema {
  const definitions = { ...asObject(schema.definitions), ...asObject(schema.$defs) }
  return sanitizeNode(schema, { definitions, expanding: new Set() })
}

function sanitizeNode(node: JsonValue | undefined, context: SanitizeContext): GeminiSchema {
  // `true` means "anything"; Gemini has no such schema, and an object without properties is the
  // most permissive shape it accepts everywhere.
  const source = asObject(node)
  if (source == null) return { type: 'object' }
  const expanded = expandReference(source, context)
  if (expanded != null) return expanded
  if (Array.isArray(source.allOf)) return sanitizeNode(mergeAllOf(source), context)

  const result: GeminiSchema = {}
  for (const keyword of passThroughKeywords) {
    if (source[keyword] !== undefined) result[keyword] = source[keyword]
  }
  if (result.example === undefined && Array.isArray(source.examples) && source.examples.length > 0) {
    result.example = source.examples[0]
  }
  applyType(source, result)
  applyEnum(source, result)
  applyAlternatives(source, result, context)
  applyFormat(source, result)

  // An empty `properties` is dropped: Gemini answers 400 "should be non-empty for OBJECT type".
  const properties = asObject(source.properties)
  if (properties != null && Object.keys(properties).length > 0) {
    const sanitizedProperties: GeminiSchema = {}
    for (const [name, value] of Object.entries(properties)) {
      sanitizedProperties[name] = sanitizeNode(value, context)
    }
    result.properties = sanitizedProperties
    // Gemini 400s when `required` names a property that is not declared.
    if (Array.isArray(source.required)) {
      result.required = source.required.filter((name): name is string => typeof name === 'string' && name in properties)
    }
  }
  if (Array.isArray(source.items)) {
    // Tuple form: Gemini has one `items` schema, so accept any of the positions.
    result.items = sanitizeAlternatives(source.items, context)
  } else if (source.items !== undefined) {
    result.items = sanitizeNode(source.items, context)
  }
  // Untyped schemas (`{}`, `{description}`, `{properties}`) are valid JSON Schema but Gemini wants
  // a type on every node that is not an `anyOf`; infer the obvious one.
  if (result.type === undefined && result.anyOf === undefined) {
    result.type = result.items !== undefined ? 'array' : 'object'
  }
  return result
}

function applyType(source: JsonObject, result: GeminiSchema): void {
  const type = source.type
  if (typeof type === 'string') {
    if (type === 'null') result.nullable = true
    else result.type = type
    return
  }
  if (!Array.isArray(type)) return
  // `['string', 'null']` is JSON Schema's nullable; OpenAPI spells it `nullable: true`.
  const types = type.filter((entry): entry is string => typeof entry === 'string' && entry !== 'null')
  if (types.length < type.length) result.nullable = true
  if (types.length === 1) result.type = types[0]
  else if (types.length > 1) result.anyOf = types.map((entry) => ({ type: entry }))
}

function applyEnum(source: JsonObject, result: GeminiSchema): void {
  const values = source.const !== undefined ? [source.const] : source.enum
  if (!Array.isArray(values)) return
  // Gemini only supports `enum` on STRING schemas (an integer enum is a 400), so values become
  // strings; the model then answers with the string form, which JSON-typed clients tolerate better
  // than a failed request.
  const nonNull = values.filter((value) => value !== null)
  if (nonNull.length < values.length) result.nullable = true
  if (nonNull.length === 0) return
  result.type = 'string'
  result.enum = nonNull.map((value) => (typeof value === 'string' ? value : JSON.stringify(value)))
  delete result.anyOf
}

function applyAlternatives(source: JsonObject, result: GeminiSchema, context: SanitizeContext): void {
  // Gemini has `anyOf` but no `oneOf`; for generation the difference (exactly one) does not matter.
  const alternatives = Array.isArray(source.anyOf) ? source.anyOf : source.oneOf
  if (!Array.isArray(alternatives)) return
  const nonNull = alternatives.filter((alternative) => asObject(alternative)?.type !== 'null')
  if (nonNull.length < alternatives.length) result.nullable = true
  if (nonNull.length === 0) return
  const sanitized = sanitizeAlternatives(nonNull, context)
  // `anyOf: [X, {type: null}]` is how pydantic writes `Optional[X]`: fold it back into X.
  // The node's own keywords (its description, `nullable`) win over the folded alternative's.
  if (sanitized.anyOf === undefined) Object.assign(result, sanitized, { ...result })
  else result.anyOf = sanitized.anyOf
}

function sanitizeAlternatives(alternatives: JsonValue[], context: SanitizeContext): GeminiSchema {
  const sanitized = alternatives.map((alternative) => sanitizeNode(alternative, context))
  if (sanitized.length === 1 && sanitized[0] != null) return sanitized[0]
  return { anyOf: sanitized }
}

function applyFormat(source: JsonObject, result: GeminiSchema): void {
  if (typeof source.format !== 'string' || typeof result.type !== 'string') return
  if (supportedFormats[result.type]?.includes(source.format)) result.format = source.format
}

/** Inlines a local `$ref` (`#/$defs/Name` or `#/definitions/Name`); Gemini's subset has no `$ref`. */
function expandReference(source: JsonObject, context: SanitizeContext): GeminiSchema | undefined {
  if (typeof source.$ref !== 'string') return undefined
  const name = source.$ref.replace(/^#\/(\$defs|definitions)\//, '')
  const target = context.definitions[name]
  const siblings = { ...source }
  delete siblings.$ref
  if (target == null || context.expanding.has(name) || context.expanding.size >= maxReferenceDepth) {
    // Unknown or recursive reference: keep the description so the model still knows the intent.
    return sanitizeNode({ type: 'object', ...siblings }, context)
  }
  const expanding = new Set(context.expanding).add(name)
  return sanitizeNode({ ...asObject(target), ...siblings }, { ...context, expanding })
}

/** Folds `allOf` into one schema: properties and `required` are unioned, other keywords first win. */
function mergeAllOf(source: JsonObject): JsonObject {
  const merged: JsonObject = { ...source }
  delete merged.allOf
  const properties: JsonObject = { ...asObject(source.properties) }
  const required = new Set(Array.isArray(source.required) ? source.required : [])
  for (const part of Array.isArray(source.allOf) ? source.allOf : []) {
    const partObject = asObject(part) ?? {}
    Object.assign(properties, asObject(partObject.properties))
    for (const name of Array.isArray(partObject.required) ? partObject.required : []) required.add(name)
    for (const [keyword, value] of Object.entries(partObject)) {
      if (merged[keyword] === undefined) merged[keyword] = value
    }
  }
  if (Object.keys(properties).length > 0) merged.properties = properties
  if (required.size > 0) merged.required = [...required]
  return merged
}

function asObject(value: JsonValue | undefined): JsonObject | undefined {
  if (value == null || typeof value !== 'object' || Array.isArray(value)) return undefined
  return value
}
