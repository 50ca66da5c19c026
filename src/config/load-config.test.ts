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

describe('loadConfig', () => {
  test('no configuration at all: echo only, port 8080, SQLite under .switchyard', () => {
    const config = loadConfig({ env: {}, cwd: '/nowhere' })
    expect(config.port).toBe(8080)
    expect(config.providers.map((provider) => provider.id)).toEqual(['switchyard'])
    expect(config.databaseUrl).toBe('sqlite:/nowhere/.switchyard/switchyard.db')
  })

  test('providers come from their usual variables, and *_BASE_URL is honoured', () => {
    const config = loadConfig({
      env: {
        OPENAI_API_KEY: 'sk-1',
        OPENAI_BASE_URL: 'http://127.0.0.1:9/v1/',
        ANTHROPIC_API_KEY: 'a',
        GOOGLE_API_KEY: 'g',
        GROQ_API_KEY: 'q',
        OLLAMA_HOST: '127.0.0.1:11434',
        MISTRAL_API_KEY: '  ',
      },
      cwd: '/nowhere',
    })
    const byId = new Map(config.providers.map((provider) => [provider.id, provider]))
    expect([...byId.keys()].sort()).toEqual(['anthropic', 'gemini', 'groq', 'ollama', 'openai', 'switchyard'])
    expect(byId.get('openai')?.baseUrl).toBe('http://127.0.0.1:9/v1')
    expect(byId.get('ollama')?.baseUrl).toBe('http://127.0.0.1:11434/v1')
    expect(byId.get('gemini')?.apiKey).toBe('g')
    expect(byId.get('anthropic')?.baseUrl).toBe('https://api.anthropic.com')
  })

  test('flags beat env, env beats the file', () => {
    const file = withFile('server:\n  port: 7000\n  host: 127.0.0.1\n')
    expect(loadConfig({ env: {}, flags: { config: file } }).port).toBe(7000)
    expect(loadConfig({ env: { SWITCHYARD_PORT: '7100' }, flags: { config: file } }).port).toBe(7100)
    expect(loadConfig({ env: { SWITCHYARD_PORT: '7100' }, flags: { config: file, port: 7200 } }).port).toBe(7200)
  })

  test('YAML providers, models and aliases with ${ENV} references', () => {
    const file = withFile(`
providers:
  local-vllm:
    type: openai-compatible
    base_url: \${VLLM_URL}
    api_key: \${VLLM_KEY:-none}
models:
  - provider: local-vllm
    model: meta-llama/Llama-3.1-8B-Instruct
    context_window: 131072
    pricing: { input: 0.1, output: 0.2 }
    aliases: [llama]
aliases:
  fast: local-vllm/meta-llama/Llama-3.1-8B-Instruct
`)
    const config = loadConfig({ env: { VLLM_URL: 'http://127.0.0.1:8000/v1' }, flags: { config: file } })
    const provider = config.providers.find((entry) => entry.id === 'local-vllm')
    expect(provider).toMatchObject({ family: 'openai-compatible', baseUrl: 'http://127.0.0.1:8000/v1', apiKey: 'none' })
    expect(config.models[0]).toMatchObject({ id: 'local-vllm/meta-llama/Llama-3.1-8B-Instruct', contextWindow: 131072, aliases: ['llama'] })
    expect(config.aliases.fast).toBe('local-vllm/meta-llama/Llama-3.1-8B-Instruct')
  })

  test('an unquoted env reference takes the type its value has in YAML; a quoted one stays text', () => {
    const file = withFile(`
server:
  port: \${PORT}
  upstream_timeout_ms: \${TIMEOUT_MS:-45000}
providers:
  local:
    type: openai-compatible
    base_url: http://127.0.0.1:8000/v1
    api_key: "\${DIGITS_KEY}"
    accepts_stream_options: \${STREAM_OPTIONS}
models:
  - provider: local
    model: m
    context_window: \${WINDOW}
    pricing:
      input: \${PRICE_IN}
      output: 0.2
`)
    const config = loadConfig({
      env: { PORT: '18434', DIGITS_KEY: '12345', STREAM_OPTIONS: 'false', WINDOW: '32768', PRICE_IN: '0.15' },
      flags: { config: file },
    })
    expect(config.port).toBe(18434)
    expect(config.upstreamTimeoutMs).toBe(45000)
    expect(config.providers.find((entry) => entry.id === 'local')).toMatchObject({ apiKey: '12345', acceptsStreamOptions: false })
    expect(config.models[0]).toMatchObject({ contextWindow: 32768 })
    expect(config.models[0]?.pricingUsdPerMillion?.input).toBe(0.15)
    // A value that is not a number where one is needed still names the field.
    expect(() => loadConfig({ env: { PORT: 'eighty' }, flags: { config: withFile(`server:\n  port: \${PORT}\n`) } })).toThrow(/server\.port/)
  })

  test('errors name the file and the field', () => {
    const cases: Array<[string, RegExp]> = [
      ['providers:\n  x:\n    type: openai-compatible\n    base_url: not a url\n', /switchyard\.yaml: providers\.x\.base_url/],
      ['providers:\n  x:\n    type: banana\n    base_url: http://a\n', /providers\.x\.type: unknown type "banana"/],
      ['models:\n  - provider: nobody\n    model: m\n', /models\.0\.provider: "nobody" is not configured/],
      ['server:\n  port: "eighty"\n', /server\.port/],
      [
        'providers:\n  x:\n    type: openai-compatible\n    base_url: ${MISSING_URL}\n',
        /providers\.x\.base_url: references \$\{MISSING_URL\}/,
      ],
      ['unknown_section: 1\n', /unknown_section|Unrecognized key/],
      ['a: [1,\n', /not valid YAML/],
    ]
    for (const [yaml, message] of cases) {
      const file = withFile(yaml)
      expect(() => loadConfig({ env: {}, flags: { config: file } })).toThrow(ConfigError)
      expect(() => loadConfig({ env: {}, flags: { config: file } })).toThrow(message)
    }
  })

  test('bad env values are refused with the variable named', () => {
    expect(() => loadConfig({ env: { SWITCHYARD_PORT: 'abc' } })).toThrow(/SWITCHYARD_PORT/)
    expect(() => loadConfig({ env: { SWITCHYARD_LOG_LEVEL: 'loud' } })).toThrow(/SWITCHYARD_LOG_LEVEL/)
  })
})
