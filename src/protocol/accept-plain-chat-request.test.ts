import { describe, expect, test } from 'bun:test'
import { acceptPlainChatRequest } from './accept-plain-chat-request.ts'
import { chatRequestSchema } from './parse-chat-request.ts'

const user = { role: 'user', content: 'hi' }
const accepted: Array<Record<string, unknown>> = [
  { model: 'openai/gpt-4o-mini', messages: [user] },
  { model: 'm', messages: [{ role: 'system', content: '' }, user, { role: 'assistant', content: 'a', name: 'x' }], max_tokens: 32 },
  {
    model: 'm',
    messages: [{ role: 'developer', content: 'd' }],
    stream: true,
    temperature: 2,
    top_p: 0,
    n: 128,
    max_completion_tokens: 10_000_000,
  },
  { model: 'm', messages: [user], stream: null, max_tokens: null, temperature: null, user: 'someone', seed: 7, metadata: { a: 1 } },
  { model: 'router', messages: [user], routing: { policy: 'cheap' } },
]
const refused: unknown[] = [
  null,
  [],
  'text',
  {},
  { model: 'm' },
  { model: '', messages: [user] },
  { messages: [user] },
  { model: 7, messages: [user] },
  { model: 'm', messages: [] },
  { model: 'm', messages: {} },
  { model: 'm', messages: [null] },
  { model: 'm', messages: [{ role: 'user' }] },
  { model: 'm', messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] },
  { model: 'm', messages: [{ role: 'tool', content: 'x', tool_call_id: 'c' }] },
  { model: 'm', messages: [{ role: 'assistant', content: null }] },
  { model: 'm', messages: [{ role: 'assistant', content: 'x', tool_calls: [] }] },
  { model: 'm', messages: [{ role: 'robot', content: 'x' }] },
  { model: 'm', messages: [user], max_tokens: 0 },
  { model: 'm', messages: [user], max_tokens: 1.5 },
  { model: 'm', messages: [user], max_tokens: 10_000_001 },
  { model: 'm', messages: [user], max_tokens: '5' },
  { model: 'm', messages: [user], temperature: 2.1 },
  { model: 'm', messages: [user], top_p: -0.1 },
  { model: 'm', messages: [user], n: 0 },
  { model: 'm', messages: [user], stream: 'yes' },
  { model: 'm', messages: [user], stop: ['x'] },
  { model: 'm', messages: [user], tools: [] },
  { model: 'm', messages: [user], models: ['a'] },
  { model: 'm', messages: [user], response_format: { type: 'text' } },
  { model: 'm', messages: [user], stream_options: { include_usage: true } },
  { model: null, messages: [user] },
]

/** What parseChatRequest's zod path returns for a body (nulls dropped), or undefined if it refuses it. */
function viaZod(body: unknown) {
  const parsed = chatRequestSchema.safeParse(body)
  if (!parsed.success) return undefined
  return Object.fromEntries(Object.entries(parsed.data).filter(([, value]) => value !== null))
}

describe('acceptPlainChatRequest', () => {
  test('accepts the common shapes, with exactly the result the zod schema gives', () => {
    for (const body of accepted) {
      const expected = viaZod(structuredClone(body))
      expect(expected).toBeDefined()
      expect(acceptPlainChatRequest(structuredClone(body)) as unknown).toEqual(expected)
    }
  })
  test('leaves everything else to zod (which refuses the invalid ones and words the error)', () => {
    for (const body of refused) expect(acceptPlainChatRequest(structuredClone(body))).toBeUndefined()
  })
})
