import { describe, expect, test } from 'bun:test'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, loadConfig } from './load-config.ts'

function withFile(yaml: string): string {
  const directory = mkdtempSync(join(tmpdir(), 'switchyard-config-'))
  const path = join(directory, 'switchyard.yaml')
  writeFileSync(path, yaml)
  return path
}

describe('rate-limit and Stripe configuration', () => {
  test('defaults: 10 requests per second per key (as tokenroute), nothing else limited, no Stripe', () => {
    const config = loadConfig({ env: {}, cwd: '/nowhere' })
    expect(config.defaultRateLimits).toEqual({ burstRps: 10, requestsPerMinute: null, tokensPerMinute: null, maxConcurrent: null })
    expect(config.redisKeyPrefix).toBe('switchyard:')
    expect(config.stripe).toBeUndefined()
  })

  test('environment sets each limit, and "unlimited" lifts one', () => {
    const config = loadConfig({
      env: {
        SWITCHYARD_RATE_LIMIT_BURST_RPS: 'unlimited',
        SWITCHYARD_RATE_LIMIT_RPM: '600',
        SWITCHYARD_RATE_LIMIT_TPM: '100000',
        SWITCHYARD_RATE_LIMIT_CONCURRENT: '4',
        SWITCHYARD_REDIS_KEY_PREFIX: 'prod:',
      },
      cwd: '/nowhere',
    })
    expect(config.defaultRateLimits).toEqual({ burstRps: null, requestsPerMinute: 600, tokensPerMinute: 100_000, maxConcurrent: 4 })
    expect(config.redisKeyPrefix).toBe('prod:')
  })

  test('the YAML file sets limits (null = unlimited); the environment wins over it', () => {
    const configFile = withFile('rate_limits:\n  burst_rps: null\n  requests_per_minute: 60\n  max_concurrent: 2\n')
    const config = loadConfig({ env: { SWITCHYARD_RATE_LIMIT_CONCURRENT: '8' }, flags: { config: configFile } })
    expect(config.defaultRateLimits).toEqual({ burstRps: null, requestsPerMinute: 60, tokensPerMinute: null, maxConcurrent: 8 })
  })

  test.each([['ten'], ['-1'], ['2.5']])('a limit of %p is a start-up error naming the variable', (value) => {
    expect(() => loadConfig({ env: { SWITCHYARD_RATE_LIMIT_RPM: value }, cwd: '/nowhere' })).toThrow(/SWITCHYARD_RATE_LIMIT_RPM/)
  })

  test('Stripe needs both secrets, and errors never quote them', () => {
    const secret = 'sk_test_SECRET_VALUE'
    expect(() => loadConfig({ env: { STRIPE_SECRET_KEY: secret }, cwd: '/nowhere' })).toThrow(ConfigError)
    try {
      loadConfig({ env: { STRIPE_SECRET_KEY: secret }, cwd: '/nowhere' })
    } catch (error) {
      expect((error as Error).message).toContain('STRIPE_WEBHOOK_SECRET')
      expect((error as Error).message).not.toContain(secret)
    }
    expect(() => loadConfig({ env: { STRIPE_WEBHOOK_SECRET: 'whsec_x' }, cwd: '/nowhere' })).toThrow(/STRIPE_SECRET_KEY/)
  })

  test('Stripe settings: API base, top-up bounds and return URLs', () => {
    const config = loadConfig({
      env: {
        STRIPE_SECRET_KEY: 'sk_test_1',
        STRIPE_WEBHOOK_SECRET: 'whsec_1',
        STRIPE_API_BASE: 'http://127.0.0.1:12111',
        SWITCHYARD_TOPUP_MIN_USD: '5',
        SWITCHYARD_TOPUP_SUCCESS_URL: 'https://example.com/thanks',
      },
      cwd: '/nowhere',
    })
    expect(config.stripe).toEqual({
      secretKey: 'sk_test_1',
      webhookSecret: 'whsec_1',
      apiBase: 'http://127.0.0.1:12111',
      successUrl: 'https://example.com/thanks',
      cancelUrl: undefined,
      minTopupUsd: 5,
      maxTopupUsd: 10_000,
    })
    expect(() =>
      loadConfig({ env: { STRIPE_SECRET_KEY: 'a', STRIPE_WEBHOOK_SECRET: 'b', STRIPE_API_BASE: 'not a url' }, cwd: '/nowhere' }),
    ).toThrow(/STRIPE_API_BASE/)
    expect(() =>
      loadConfig({
        env: { STRIPE_SECRET_KEY: 'a', STRIPE_WEBHOOK_SECRET: 'b', SWITCHYARD_TOPUP_MIN_USD: '50', SWITCHYARD_TOPUP_MAX_USD: '10' },
        cwd: '/nowhere',
      }),
    ).toThrow(/minimum/)
  })
})
