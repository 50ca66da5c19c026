import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { adminCliEnv, runCli } from '../support/run-cli.ts'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// `switchyard admin users ...` and `admin credit` through the real binary, as a subprocess.

let gateway: TestGateway
let env: Record<string, string>

beforeAll(async () => {
  gateway = await startTestGateway()
  env = adminCliEnv(gateway)
})

afterAll(async () => {
  await gateway.stop()
})

describe('switchyard admin users and credit', () => {
  test('create with --password-stdin, list, credit, then a key with limits for that user', async () => {
    const password = 'CLI-canary-password-123'
    const email = `cli-${crypto.randomUUID()}@example.com`
    const created = await runCli(['admin', 'users', 'create', '--email', email, '--password-stdin', '--json'], env, {
      stdin: `${password}\n`,
    })
    expect(created.exitCode).toBe(0)
    const user = JSON.parse(created.stdout)
    expect(user).toMatchObject({ email, balance_micros: 0 })
    expect(created.stdout + created.stderr).not.toContain(password)
    expect(await gateway.accounts.verifyCredentials(email, password)).toEqual({ userId: user.id, email })

    const duplicate = await runCli(['admin', 'users', 'create', '--email', email, '--json'], env)
    expect(duplicate.exitCode).toBe(1)

    const credited = await runCli(['admin', 'credit', '--user', email, '--amount', '2.5', '--note', 'welcome', '--json'], env)
    expect(credited.exitCode).toBe(0)
    expect(JSON.parse(credited.stdout)).toMatchObject({ applied: true, balance_micros: 2_500_000 })
    const badAmount = await runCli(['admin', 'credit', '--user', email, '--amount', 'lots', '--note', 'x'], env)
    expect(badAmount.exitCode).toBe(1)

    const listed = await runCli(['admin', 'users', 'list', '--json'], env)
    expect(JSON.parse(listed.stdout).find((row: { email: string }) => row.email === email)).toMatchObject({ balance_usd: 2.5 })
    const human = await runCli(['admin', 'users', 'list'], env)
    expect(human.stdout).toMatch(/^ID\s+EMAIL\s+BALANCE_USD/)

    const key = await runCli(
      [
        'admin',
        'keys',
        'create',
        '--name',
        'limited',
        '--user',
        email,
        '--limit-usd',
        '1',
        '--monthly-budget-usd',
        '0.5',
        '--models',
        'openai/*,echo',
        '--burst-rps',
        '5',
        '--json',
      ],
      env,
    )
    expect(key.exitCode).toBe(0)
    const keyId = JSON.parse(key.stdout).id
    const stored = await gateway.admin<Record<string, unknown>>('GET', `/api/v1/admin/keys/${keyId}`)
    expect(stored.body).toMatchObject({
      user_id: user.id,
      limit_usd: 1,
      monthly_budget_usd: 0.5,
      allowed_models: ['openai/*', 'echo'],
      rate_limits: { burst_rps: 5, requests_per_minute: null },
    })
  })
})
