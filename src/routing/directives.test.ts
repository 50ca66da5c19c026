import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../errors/gateway-error.ts'
import type { ChatMessage } from '../protocol/openai-chat-types.ts'
import { applyDirectives, stripDirectives } from './directives.ts'
import { seededRandom } from './thompson-bandit.ts'

const user = (content: ChatMessage['content']): ChatMessage => ({ role: 'user', content }) as ChatMessage

function errorOf(action: () => unknown): GatewayError {
  try {
    action()
  } catch (error) {
    if (error instanceof GatewayError) return error
    throw error
  }
  throw new Error('expected a GatewayError')
}

describe('directive parsing', () => {
  test('one-line form sets every key and is removed', () => {
    const result = applyDirectives([
      user(
        'Summarise this.\n@@switchyard policy=cheap max_cost=0.5 budget=0.02 latency=5000 min_weight=3 objective=fastest model=gpt-4o-mini\nThanks',
      ),
    ])
    expect(result.found).toBe(true)
    expect(result.options).toEqual({
      policy: 'cheap',
      maxCostPer1kTokensUsd: 0.5,
      maxBudgetUsd: 0.02,
      maxLatencyMs: 5000,
      minWeight: 3,
      objective: 'fastest',
      model: 'gpt-4o-mini',
    })
    expect(result.messages[0]?.content).toBe('Summarise this.\nThanks')
  })

  test('block form, closed by @@end, in a content part', () => {
    const result = applyDirectives([
      user([
        { type: 'text', text: 'before\n@@switchyard\npolicy=high_confidence\n  min_weight=8\n@@end\nafter' },
        { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
      ]),
    ])
    expect(result.options).toEqual({ policy: 'high_confidence', minWeight: 8 })
    const parts = result.messages[0]?.content as Array<{ type: string; text?: string }>
    expect(parts[0]?.text).toBe('before\nafter')
    expect(parts[1]?.type).toBe('image_url')
  })

  test('later directives override earlier ones key by key', () => {
    const result = applyDirectives([
      user('@@switchyard policy=cheap budget=1'),
      { role: 'assistant', content: 'ok' },
      user('@@switchyard policy=normal'),
    ])
    expect(result.options).toEqual({ policy: 'normal', maxBudgetUsd: 1 })
  })

  test('text before the marker on the same line is kept', () => {
    expect(stripDirectives('please answer @@switchyard policy=cheap')).toBe('please answer')
  })

  test('non-user messages are stripped but not read (and never rejected)', () => {
    const result = applyDirectives([
      { role: 'system', content: 'sys\n@@switchyard policy=bogus\nmore' },
      { role: 'assistant', content: '@@switchyard\nnot closed' },
      user('hi'),
    ])
    expect(result.found).toBe(false)
    expect(result.options).toEqual({})
    expect(result.messages[0]?.content).toBe('sys\nmore')
    expect(result.messages[1]?.content).toBe('not closed')
  })

  test('messages without a directive are returned as the same objects', () => {
    const messages = [user('plain @@ text'), user('@@switchyardish is not a marker')]
    const result = applyDirectives(messages)
    expect(result.messages[0]).toBe(messages[0] as ChatMessage)
    expect(result.messages[1]).toBe(messages[1] as ChatMessage)
  })

  test.each([
    ['@@switchyard policy=fastest', 'directive.policy'],
    ['@@switchyard budget=0', 'directive.budget'],
    ['@@switchyard budget=101', 'directive.budget'],
    ['@@switchyard latency=1.5', 'directive.latency'],
    ['@@switchyard min_weight=11', 'directive.min_weight'],
    ['@@switchyard max_cost=cheap', 'directive.max_cost'],
    ['@@switchyard objective=best', 'directive.objective'],
    ['@@switchyard colour=blue', 'directive.colour'],
    ['@@switchyard policy', 'directive'],
    ['@@switchyard\npolicy=cheap', 'messages'],
  ])('%p is a 400 naming %p', (text, param) => {
    const error = errorOf(() => applyDirectives([user(text)]))
    expect(error.status).toBe(400)
    expect(error.param).toBe(param)
  })
})

// Property: whatever the messages, no directive survives stripping, and the text around
// directives is kept. Random messages mix plain lines, directives of both forms (valid or not,
// upper or lower case, mid-line or not), stray @@end lines and near-miss markers.
describe('directive stripping (property, seeded)', () => {
  const words = ['hello', 'world', '@@', '@@end', 'policy=cheap', 'x=1', '@@switchyardx', 'user@@switchyard.io', '', '  ', 'été', '代码']
  const directives = [
    '@@switchyard policy=cheap',
    '@@SwitchYard policy=normal latency=100',
    '@@switchyard\npolicy=thompson\n@@end',
    '@@switchyard\n  budget=0.5 \n\n@@END',
    'tail text @@switchyard min_weight=2',
    '@@switchyard colour=blue',
    '@@switchyard\npolicy=cheap',
  ]

  function randomText(random: () => number): string {
    const lines: string[] = []
    const count = 1 + Math.floor(random() * 6)
    for (let index = 0; index < count; index++) {
      if (random() < 0.4) lines.push(directives[Math.floor(random() * directives.length)] ?? '')
      else
        lines.push(
          Array.from({ length: 1 + Math.floor(random() * 5) }, () => words[Math.floor(random() * words.length)] ?? '').join(
            random() < 0.5 ? ' ' : '',
          ),
        )
    }
    return lines.join(random() < 0.9 ? '\n' : '\r\n')
  }

  test('no marker survives in any role, string or parts, valid or not', () => {
    for (let seed = 1; seed <= 3_000; seed++) {
      const random = seededRandom(seed)
      const roles = ['system', 'user', 'assistant', 'tool'] as const
      const messages: ChatMessage[] = Array.from({ length: 1 + Math.floor(random() * 4) }, () => {
        const role = roles[Math.floor(random() * roles.length)] ?? 'user'
        const content = random() < 0.5 ? randomText(random) : [{ type: 'text' as const, text: randomText(random) }]
        return (role === 'tool' ? { role, content, tool_call_id: 'call_1' } : { role, content }) as ChatMessage
      })
      let stripped: ChatMessage[]
      try {
        stripped = applyDirectives(messages).messages
      } catch (error) {
        // A bad directive in a user message is rejected outright: nothing is sent upstream then.
        expect(error).toBeInstanceOf(GatewayError)
        expect((error as GatewayError).status).toBe(400)
        stripped = messages.map((message) => stripOnly(message))
      }
      for (const message of stripped) {
        expect(/@@switchyard(?![A-Za-z0-9_-])/i.test(JSON.stringify(message.content))).toBe(false)
      }
    }
  })

  test('plain text without any marker is untouched', () => {
    for (let seed = 1; seed <= 500; seed++) {
      const random = seededRandom(seed)
      const text = Array.from({ length: 10 }, () => words[Math.floor(random() * words.length)] ?? '').join(' ')
      if (/@@switchyard(?![A-Za-z0-9_-])/i.test(text)) continue
      expect(stripDirectives(text)).toBe(text)
    }
  })
})

function stripOnly(message: ChatMessage): ChatMessage {
  const { content } = message
  if (typeof content === 'string') return { ...message, content: stripDirectives(content) } as ChatMessage
  if (!Array.isArray(content)) return message
  return {
    ...message,
    content: content.map((part) => (part.type === 'text' ? { ...part, text: stripDirectives(String(part.text)) } : part)),
  } as ChatMessage
}
