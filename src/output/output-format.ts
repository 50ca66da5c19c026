import { z } from 'zod'
import { GatewayError } from '../errors/gateway-error.ts'
import { compileJsonSchema, type JsonValidator } from './json-schema-validator.ts'

/**
 * `output_format`, TokenHub's shape, with what its code left out made real: `schema` is read (as
 * an object or, like TokenHub, a JSON string), `max_tokens` is sent to the provider instead of
 * truncating the answer afterwards, `xml` is checked, and `max_repairs` bounds the repair loop.
 */
export type OutputFormat = {
  type: 'json' | 'markdown' | 'xml' | 'text' | 'none'
  /** A compiled JSON Schema (draft 2020-12), for `json`. */
  schema: { source: Record<string, unknown>; validator: JsonValidator } | undefined
  /** For `xml`: the required root element's name. */
  rootElement: string | undefined
  stripThink: boolean
  /** Sent to the provider as the answer's token budget when the request sets none. */
  maxTokens: number | undefined
  /** Rounds of "here are the errors, try again" after the first answer (json and xml). */
  maxRepairs: number
}

export const maxRepairRoundsLimit = 5

const outputFormatSchema = z.strictObject({
  type: z.enum(['json', 'markdown', 'xml', 'text', 'none']).default('none'),
  schema: z.union([z.string(), z.looseObject({}), z.boolean()]).nullish(),
  root_element: z
    .string()
    .regex(/^[A-Za-z_][\w.-]*$/, 'must be an XML element name')
    .nullish(),
  strip_think: z.boolean().nullish(),
  max_tokens: z.number().int().min(1).max(10_000_000).nullish(),
  max_repairs: z.number().int().min(0).max(maxRepairRoundsLimit).nullish(),
})

/**
 * Validates an `output_format` object; the JSON Schema is compiled here, so a broken schema is a
 * 400 naming `<param>.schema` before any model is called. `undefined` in, `undefined` out.
 */
export function parseOutputFormat(raw: unknown, options: { param: string; defaultMaxRepairs: number }): OutputFormat | undefined {
  if (raw == null) return undefined
  const parsed = outputFormatSchema.safeParse(raw)
  if (!parsed.success) {
    const first = parsed.error.issues[0]
    const param = [options.param, ...(first?.path ?? [])].join('.')
    throw new GatewayError('invalid_request', `\`${param}\`: ${first?.message ?? 'is invalid'}`, { param })
  }
  const value = parsed.data
  if (value.schema != null && value.type !== 'json') {
    throw new GatewayError('invalid_request', `\`${options.param}.schema\` applies only to \`type: "json"\`.`, {
      param: `${options.param}.schema`,
    })
  }
  if (value.root_element != null && value.type !== 'xml') {
    throw new GatewayError('invalid_request', `\`${options.param}.root_element\` applies only to \`type: "xml"\`.`, {
      param: `${options.param}.root_element`,
    })
  }
  return {
    type: value.type,
    schema: value.schema == null ? undefined : compileSchemaParam(value.schema, `${options.param}.schema`),
    rootElement: value.root_element ?? undefined,
    stripThink: value.strip_think ?? false,
    maxTokens: value.max_tokens ?? undefined,
    maxRepairs: value.max_repairs ?? options.defaultMaxRepairs,
  }
}

/** A schema given as an object or as JSON text (TokenHub's form); compiled, or a 400 naming `param`. */
export function compileSchemaParam(schema: unknown, param: string): { source: Record<string, unknown>; validator: JsonValidator } {
  let source: unknown = schema
  if (typeof schema === 'string') {
    try {
      source = JSON.parse(schema)
    } catch (error) {
      throw new GatewayError('invalid_request', `\`${param}\` is not valid JSON: ${(error as Error).message}`, { param })
    }
  }
  if (typeof source !== 'object' || source === null || Array.isArray(source)) {
    throw new GatewayError('invalid_request', `\`${param}\` must be a JSON Schema object.`, { param })
  }
  const record = source as Record<string, unknown>
  try {
    return { source: record, validator: compileJsonSchema(record) }
  } catch (error) {
    throw new GatewayError('invalid_request', `\`${param}\` is not a valid JSON Schema (draft 2020-12): ${(error as Error).message}`, {
      param,
    })
  }
}
