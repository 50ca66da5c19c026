import { describe, expect, test } from 'bun:test'
import { GatewayError } from '../errors/gateway-error.ts'
import { compileGlob } from './glob-match.ts'
import { mergeRoutingOptions, parseAllTokensMetadata, parsePolicyHeader, parseRoutingField } from './routing-options.ts'

const paramOf = (action: () => unknown) => {
  try {
    action()
  } catch (error) {
    return (error as GatewayError).param
  }
  return 'no error'
}

describe('routing options', () => {
  test('the body field maps snake_case to options; bad or unknown fields are 400s naming them', () => {
    expect(
      parseRoutingField({
        policy: 'thompson',
        max_cost_per_1k_tokens: 0.5,
        provider: { only: ['openai'], allow_fallbacks: false },
      }),
    ).toEqual({ policy: 'thompson', maxCostPer1kTokensUsd: 0.5, provider: { only: ['openai'], allowFallbacks: false } })
    expect(paramOf(() => parseRoutingField({ min_weight: 12 }))).toBe('routing.min_weight')
    expect(paramOf(() => parseRoutingField({ provider: { only: 'openai' } }))).toBe('routing.provider.only')
    expect(paramOf(() => parseRoutingField({ colour: 'blue' }))).toBe('routing')
    expect(() => parseRoutingField('cheap')).toThrow(GatewayError)
  })

  test('AllTokens metadata: routing keys are read, other keys ignored', () => {
    expect(parseAllTokensMetadata({ objective: 'balanced', trace_id: 'x', provider_policy: { ignore: ['groq'] } })).toEqual({
      objective: 'balanced',
      provider: { ignore: ['groq'] },
    })
    expect(parseAllTokensMetadata('not an object')).toEqual({})
    expect(paramOf(() => parseAllTokensMetadata({ objective: 'smartest' }))).toBe('metadata.objective')
  })

  test('header, and field-wise merge where later sources win', () => {
    expect(parsePolicyHeader(' Cheap ')).toEqual({ policy: 'cheap' })
    expect(parsePolicyHeader(undefined)).toEqual({})
    expect(paramOf(() => parsePolicyHeader('fast'))).toBe('x-switchyard-policy')
    expect(
      mergeRoutingOptions(
        { policy: 'normal', maxBudgetUsd: 1, provider: { only: ['a'] } },
        { policy: 'cheap', provider: { allowFallbacks: false } },
        { minWeight: 3 },
      ),
    ).toEqual({ policy: 'cheap', maxBudgetUsd: 1, minWeight: 3, provider: { only: ['a'], allowFallbacks: false } })
  })

  test('globs: * spans slashes, ? is one character, case-insensitive, regex characters are literal', () => {
    expect(compileGlob('anthropic/*')('anthropic/claude-haiku-4-5')).toBe(true)
    expect(compileGlob('*')('a/b/c')).toBe(true)
    expect(compileGlob('openai/gpt-4?')('openai/gpt-4o')).toBe(true)
    expect(compileGlob('openai/gpt-4?')('openai/gpt-4.1')).toBe(false)
    expect(compileGlob('OpenAI/GPT-4o')('openai/gpt-4o')).toBe(true)
    expect(compileGlob('a.b')('axb')).toBe(false)
  })
})
