import { GatewayError } from '../errors/gateway-error.ts'
import type { ChatMessage, ContentPart } from '../protocol/openai-chat-types.ts'
import { type Objective, objectiveNames, type PolicyName, policyNames, type RoutingOptions } from './routing-options.ts'

/**
 * In-band routing overrides, TokenHub-style but named for us:
 *
 *   @@switchyard policy=cheap max_cost=0.5 latency=5000      (one line: runs to the end of the line)
 *
 *   @@switchyard                                              (a block: the marker ends its line,
 *   policy=high_confidence                                     one key=value per line, closed by
 *   min_weight=8                                               a line that is just @@end)
 *   @@end
 *
 * Only user messages are read; every message of every role is stripped, so no directive ever
 * reaches a provider. Unlike TokenHub (which ignores bad values silently), an unknown key, a bad
 * value or an unclosed block in a user message is a 400 naming the key.
 */
export const directiveMarker = /@@switchyard(?![A-Za-z0-9_-])/i
const endMarker = '@@end'

export type DirectiveResult = { options: RoutingOptions; messages: ChatMessage[]; found: boolean }

type Collect = ((tokens: Array<{ key: string; value: string }>) => void) | undefined

/**
 * Reads the directives of every user message (in order; a later directive overrides an earlier
 * one key by key) and returns the messages with every directive removed. Messages without `@@`
 * are returned as they are: the common case costs one indexOf per text.
 */
export function applyDirectives(messages: readonly ChatMessage[]): DirectiveResult {
  // The common request has no `@@` anywhere: one indexOf per text, and nothing allocated.
  if (!messages.some(mayHoldDirective)) return { options: noOptions, messages: messages as ChatMessage[], found: false }
  const options: RoutingOptions = {}
  let found = false
  const collect = (tokens: Array<{ key: string; value: string }>) => {
    found = true
    for (const { key, value } of tokens) applyToken(options, key, value)
  }
  // Copied only once a message changes: the common request has no directive and keeps its array.
  let stripped: ChatMessage[] | undefined
  for (let index = 0; index < messages.length; index++) {
    const message = messages[index] as ChatMessage
    const kept = stripMessage(message, message.role === 'user' ? collect : undefined)
    if (kept !== message) stripped ??= messages.slice(0, index)
    stripped?.push(kept)
  }
  return { options, messages: stripped ?? (messages as ChatMessage[]), found }
}

const noOptions: RoutingOptions = Object.freeze({})

function mayHoldDirective(message: ChatMessage): boolean {
  const { content } = message
  if (typeof content === 'string') return content.indexOf('@@') !== -1
  if (!Array.isArray(content)) return false
  return content.some((part: ContentPart) => part.type === 'text' && typeof part.text === 'string' && part.text.indexOf('@@') !== -1)
}

/** The message without its directives (the same object when it has none). */
function stripMessage(message: ChatMessage, collect: Collect): ChatMessage {
  const { content } = message
  if (typeof content === 'string') {
    const text = stripDirectives(content, collect)
    return text === content ? message : ({ ...message, content: text } as ChatMessage)
  }
  if (!Array.isArray(content)) return message
  let changed = false
  const parts = content.map((part: ContentPart) => {
    if (part.type !== 'text' || typeof part.text !== 'string') return part
    const text = stripDirectives(part.text, collect)
    if (text === part.text) return part
    changed = true
    return { ...part, text }
  })
  return changed ? ({ ...message, content: parts } as ChatMessage) : message
}

/** Removes every directive from `text`; hands each one's key=value tokens to `collect` if given. */
export function stripDirectives(text: string, collect?: Collect): string {
  if (text.indexOf('@@') === -1 || !directiveMarker.test(text)) return text
  const lines = text.split('\n')
  const kept: string[] = []
  let index = 0
  while (index < lines.length) {
    const line = lines[index] ?? ''
    const match = directiveMarker.exec(line)
    if (match == null) {
      kept.push(line)
      index++
      continue
    }
    const before = line.slice(0, match.index)
    const rest = line.slice(match.index + match[0].length)
    if (before.trim() !== '') kept.push(before.trimEnd())
    if (rest.trim() !== '') {
      collect?.(tokenize(rest.trim().split(/\s+/)))
      index++
      continue
    }
    let end = index + 1
    while (end < lines.length && (lines[end] ?? '').trim().toLowerCase() !== endMarker) end++
    if (end >= lines.length) {
      if (collect != null) {
        throw new GatewayError('invalid_request', 'A `@@switchyard` block is not closed by a line `@@end`.', { param: 'messages' })
      }
      index++ // outside user messages: drop the marker line, keep the rest
      continue
    }
    collect?.(
      tokenize(
        lines
          .slice(index + 1, end)
          .map((entry) => entry.trim())
          .filter((entry) => entry !== ''),
      ),
    )
    index = end + 1
  }
  return kept.join('\n')
}

function tokenize(tokens: readonly string[]): Array<{ key: string; value: string }> {
  return tokens.map((token) => {
    const equals = token.indexOf('=')
    if (equals <= 0) {
      throw new GatewayError('invalid_request', `Invalid directive token \`${token}\`: write key=value.`, { param: 'directive' })
    }
    return { key: token.slice(0, equals).trim().toLowerCase(), value: token.slice(equals + 1).trim() }
  })
}

function fail(key: string, value: string, expected: string): never {
  throw new GatewayError('invalid_request', `Invalid directive value ${key}=${value}: expected ${expected}.`, {
    param: `directive.${key}`,
  })
}

function numberIn(
  key: string,
  value: string,
  low: number,
  high: number,
  options: { integer?: boolean; exclusiveLow?: boolean } = {},
): number {
  const parsed = value === '' ? Number.NaN : Number(value)
  const tooLow = options.exclusiveLow === true ? parsed <= low : parsed < low
  if (!Number.isFinite(parsed) || tooLow || parsed > high || (options.integer === true && !Number.isInteger(parsed))) {
    fail(
      key,
      value,
      `${options.integer === true ? 'a whole number' : 'a number'} ${options.exclusiveLow === true ? 'above' : 'from'} ${low} to ${high}`,
    )
  }
  return parsed
}

/** Directive keys and their meaning; see docs/routing.md. */
function applyToken(options: RoutingOptions, key: string, value: string): void {
  switch (key) {
    case 'policy':
    case 'mode': // TokenHub's name for it
      if (!(policyNames as readonly string[]).includes(value)) fail(key, value, `one of ${policyNames.join(', ')}`)
      options.policy = value as PolicyName
      return
    case 'objective':
      if (!(objectiveNames as readonly string[]).includes(value)) fail(key, value, `one of ${objectiveNames.join(', ')}`)
      options.objective = value as Objective
      return
    case 'model':
      if (value === '') fail(key, value, 'a model name')
      options.model = value
      return
    case 'max_cost':
      options.maxCostPer1kTokensUsd = numberIn(key, value, 0, 1000)
      return
    case 'budget':
      options.maxBudgetUsd = numberIn(key, value, 0, 100, { exclusiveLow: true })
      return
    case 'latency':
      options.maxLatencyMs = numberIn(key, value, 0, 300_000, { integer: true, exclusiveLow: true })
      return
    case 'min_weight':
      options.minWeight = numberIn(key, value, 0, 10)
      return
    default:
      throw new GatewayError(
        'invalid_request',
        `Unknown directive key \`${key}\`. Known keys: policy, model, max_cost, budget, latency, min_weight, objective.`,
        { param: `directive.${key}` },
      )
  }
}
