import { describe, expect, test } from 'bun:test'
import { sanitizeGeminiSchema } from './sanitize-gemini-schema.ts'

describe('sanitizeGeminiSchema', () => {
  test('drops keywords outside the OpenAPI subset and keeps supported ones', () => {
    expect(
      sanitizeGeminiSchema({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: 'x',
        type: 'object',
        title: 'Input',
        additionalProperties: false,
        properties: {
          tags: { type: 'array', items: { type: 'string', format: 'email' }, uniqueItems: true, maxItems: 5 },
          when: { type: 'string', format: 'date-time', examples: ['2025-01-01T00:00:00Z'] },
          size: { type: 'number', exclusiveMinimum: 0, maximum: 10, multipleOf: 2, format: 'double' },
        },
        required: ['tags', 'missing'],
      }),
    ).toEqual({
      type: 'object',
      title: 'Input',
      properties: {
        tags: { type: 'array', items: { type: 'string' }, maxItems: 5 },
        when: { type: 'string', format: 'date-time', example: '2025-01-01T00:00:00Z' },
        size: { type: 'number', maximum: 10, format: 'double' },
      },
      required: ['tags'],
    })
  })

  test('turns list-typed and anyOf-null types into nullable, and other lists into anyOf', () => {
    expect(sanitizeGeminiSchema({ type: ['string', 'null'] })).toEqual({ type: 'string', nullable: true })
    expect(sanitizeGeminiSchema({ type: ['string', 'number'] })).toEqual({
      anyOf: [{ type: 'string' }, { type: 'number' }],
    })
    expect(sanitizeGeminiSchema({ description: 'Optional age', anyOf: [{ type: 'integer', minimum: 0 }, { type: 'null' }] })).toEqual({
      description: 'Optional age',
      nullable: true,
      type: 'integer',
      minimum: 0,
    })
    expect(sanitizeGeminiSchema({ oneOf: [{ type: 'string' }, { type: 'boolean' }] })).toEqual({
      anyOf: [{ type: 'string' }, { type: 'boolean' }],
    })
  })

  test('makes enums and const string enums', () => {
    expect(sanitizeGeminiSchema({ type: 'integer', enum: [1, 2, null] })).toEqual({
      type: 'string',
      enum: ['1', '2'],
      nullable: true,
    })
    expect(sanitizeGeminiSchema({ const: 'fixed' })).toEqual({ type: 'string', enum: ['fixed'] })
  })

  test('inlines $defs references, stopping at recursion', () => {
    expect(
      sanitizeGeminiSchema({
        type: 'object',
        $defs: {
          Point: { type: 'object', properties: { x: { type: 'number' } } },
          Node: { type: 'object', properties: { child: { $ref: '#/$defs/Node' } } },
        },
        properties: { at: { $ref: '#/$defs/Point', description: 'Where' }, tree: { $ref: '#/$defs/Node' } },
      }),
    ).toEqual({
      type: 'object',
      properties: {
        at: { type: 'object', description: 'Where', properties: { x: { type: 'number' } } },
        tree: { type: 'object', properties: { child: { type: 'object' } } },
      },
    })
  })

  test('merges allOf and treats true or empty schemas as untyped objects', () => {
    expect(
      sanitizeGeminiSchema({
        allOf: [
          { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] },
          { properties: { b: true }, required: ['b'] },
        ],
      }),
    ).toEqual({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'object' } }, required: ['a', 'b'] })
    expect(sanitizeGeminiSchema({ properties: { any: {}, list: { items: { type: 'number' } } } })).toEqual({
      type: 'object',
      properties: { any: { type: 'object' }, list: { type: 'array', items: { type: 'number' } } },
    })
  })
})
