import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../errors/gateway-error.ts'
import { extractJson } from './extract-json.ts'
import { parseOutputFormat } from './output-format.ts'
import { shapeWithRepairs } from './repair-loop.ts'
import { shapeOutput } from './shape-output.ts'
import { stripThink } from './strip-think.ts'

const format = (raw: unknown) => {
  const parsed = parseOutputFormat(raw, { param: 'output_format', defaultMaxRepairs: 2 })
  if (parsed == null) throw new Error('no format')
  return parsed
}
const personSchema = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer', minimum: 0 } },
  required: ['name', 'age'],
  additionalProperties: false,
}

describe('extractJson', () => {
  test('plain, fenced, and wrapped in prose with braces inside strings', () => {
    expect(extractJson(' {"a":1} ')).toMatchObject({ found: true, value: { a: 1 } })
    expect(extractJson('Here:\n```json\n[1, 2]\n```\nDone.')).toMatchObject({ found: true, value: [1, 2] })
    expect(extractJson('Sure! The object is {"text":"a } b {","n":[{"x":1}]} as asked.')).toMatchObject({
      found: true,
      value: { text: 'a } b {', n: [{ x: 1 }] },
    })
    expect(extractJson('no json {here')).toEqual({ found: false })
  })
})

describe('shapeOutput', () => {
  test('json validates against a full 2020-12 schema', () => {
    const json = format({ type: 'json', schema: personSchema })
    expect(shapeOutput('```json\n{"name":"Ada","age":36}\n```', json)).toEqual({
      ok: true,
      content: '{"name":"Ada","age":36}',
      value: { name: 'Ada', age: 36 },
    })
    const bad = shapeOutput('{"name":"Ada","age":-1,"extra":true}', json)
    expect(bad.ok).toBe(false)
    if (!bad.ok) {
      expect(bad.errors).toContain('/age: must be >= 0')
      expect(bad.errors.some((error) => error.includes('extra'))).toBe(true)
    }
  })

  test('2020-12 keywords work (prefixItems), and the schema may be a JSON string as in TokenHub', () => {
    const tuple = format({
      type: 'json',
      schema: JSON.stringify({ type: 'array', prefixItems: [{ type: 'string' }, { type: 'number' }], items: false }),
    })
    expect(shapeOutput('["a", 1]', tuple).ok).toBe(true)
    expect(shapeOutput('["a", "b"]', tuple).ok).toBe(false)
    expect(shapeOutput('["a", 1, 2]', tuple).ok).toBe(false)
  })

  test('xml: well-formed check with a real parser and an optional root element', () => {
    const xml = format({ type: 'xml', root_element: 'order' })
    expect(shapeOutput('Here you go:\n<order id="1"><item>tea</item></order>', xml)).toEqual({
      ok: true,
      content: '<order id="1"><item>tea</item></order>',
    })
    expect(shapeOutput('<order><item>tea</order>', xml).ok).toBe(false)
    const wrongRoot = shapeOutput('<invoice/>', xml)
    expect(wrongRoot.ok ? [] : wrongRoot.errors).toEqual(['the root element must be <order>, not <invoice>'])
    expect(shapeOutput('no markup at all', format({ type: 'xml' })).ok).toBe(false)
  })

  test('text strips markdown; markdown trims; strip_think removes reasoning', () => {
    expect(shapeOutput('# Title\n\nSome **bold** and `code` and a [link](http://x).', format({ type: 'text' }))).toEqual({
      ok: true,
      content: 'Title\n\nSome bold and code and a link.',
    })
    expect(shapeOutput('<think>hmm, let me see</think>\n  ## Answer  ', format({ type: 'markdown', strip_think: true }))).toEqual({
      ok: true,
      content: '## Answer',
    })
    expect(stripThink('<think>a</think>one <think>b</think>two')).toBe('one two')
    expect(stripThink('<think>never closed')).toBe('')
    // JSON parsing always looks past reasoning.
    expect(shapeOutput('<think>{"wrong":1}</think>{"name":"A","age":1}', format({ type: 'json', schema: personSchema })).ok).toBe(true)
  })
})

describe('parseOutputFormat', () => {
  test('bad input is a 400 naming the field', () => {
    const expectParam = (raw: unknown, param: string) => {
      try {
        format(raw)
        throw new Error('expected a 400')
      } catch (error) {
        expect(error).toBeInstanceOf(GatewayError)
        expect((error as GatewayError).param).toBe(param)
        expect((error as GatewayError).status).toBe(400)
      }
    }
    expectParam({ type: 'yaml' }, 'output_format.type')
    expectParam({ type: 'json', schema: '{not json' }, 'output_format.schema')
    expectParam({ type: 'json', schema: { type: 'no-such-type' } }, 'output_format.schema')
    expectParam({ type: 'json', max_repairs: 9 }, 'output_format.max_repairs')
    expectParam({ type: 'markdown', schema: {} }, 'output_format.schema')
    expectParam({ type: 'xml', root_element: '1bad' }, 'output_format.root_element')
  })
})

describe('shapeWithRepairs', () => {
  test('asks again with the errors until the answer validates, within the round limit', async () => {
    const answers = ['Here is the person: {"name":"Ada"}', '{"name":"Ada","age":"old"}', '{"name":"Ada","age":36}']
    const asked: string[] = []
    const outcome = await shapeWithRepairs({
      format: format({ type: 'json', schema: personSchema }),
      messages: [{ role: 'user', content: 'who?' }],
      first: { content: answers[0] ?? '' },
      async ask(messages, round) {
        asked.push(String(messages.at(-1)?.content))
        return { content: answers[round] ?? '' }
      },
    })
    expect(outcome.ok).toBe(true)
    expect(outcome.answers).toHaveLength(3)
    expect(asked[0]).toContain("(root): must have required property 'age'")
    expect(asked[1]).toContain('/age: must be integer')
  })

  test('gives up after max_repairs with the last errors and output', async () => {
    let calls = 0
    const outcome = await shapeWithRepairs({
      format: format({ type: 'json', schema: personSchema, max_repairs: 1 }),
      messages: [],
      first: { content: 'nope' },
      async ask() {
        calls++
        return { content: 'still nope' }
      },
    })
    expect(calls).toBe(1)
    expect(outcome).toMatchObject({ ok: false, errors: ['the answer contains no JSON value'], lastOutput: 'still nope' })
  })
})
