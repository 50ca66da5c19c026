import { afterAll, describe, expect, test } from 'bun:test'
import { SQL } from 'bun'
import OpenAI from 'openai'
import { createTestSchema } from '../../src/store/postgres/isolated-postgres-stores.ts'
import { createDeviceBrowser } from '../support/device-browser.ts'
import { settle } from '../support/settle.ts'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// Two gateways in this process sharing one PostgreSQL schema and one Redis (with a per-test
// prefix), as two replicas would: nothing is shared between them but the database and Redis.

const postgresUrl = process.env.SWITCHYARD_TEST_POSTGRES_URL
const redisUrl = process.env.SWITCHYARD_TEST_REDIS_URL

const cleanups: Array<() => Promise<void>> = []
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup()
})

describe.skipIf(postgresUrl == null || redisUrl == null)('replicas on PostgreSQL + Redis', () => {
  test('a key revoked on one replica is refused by the other at once (pub/sub), and money is shared', async () => {
    const admin = new SQL(postgresUrl ?? '', { max: 1 })
    const testSchema = await createTestSchema(admin, postgresUrl ?? '')
    cleanups.push(async () => {
      await testSchema.drop()
      await admin.close()
    })
    const env = { SWITCHYARD_REDIS_URL: redisUrl ?? '', SWITCHYARD_REDIS_KEY_PREFIX: `sy-test-${crypto.randomUUID()}:` }
    const gateways: TestGateway[] = []
    for (let index = 0; index < 2; index++) {
      const gateway = await startTestGateway({ db: testSchema.url, env })
      gateways.push(gateway)
      cleanups.push(() => gateway.stop())
    }
    const [first, second] = gateways as [TestGateway, TestGateway]
    expect(first.accounts.ledger.mode).toBe('shared')

    const key = await first.createKey()
    const onSecond = new OpenAI({ apiKey: key.raw, baseURL: second.baseUrl, maxRetries: 0 })
    // The second replica learns the key from the database once, then serves it from memory.
    expect((await onSecond.chat.completions.create({ model: 'echo', messages: [{ role: 'user', content: 'hi' }] })).choices.length).toBe(1)
    expect((await first.admin('DELETE', `/api/v1/admin/keys/${key.id}`)).status).toBe(200)
    const deadline = Date.now() + 1_000
    let refused: unknown
    while (Date.now() < deadline) {
      refused = await settle(onSecond.chat.completions.create({ model: 'echo', messages: [{ role: 'user', content: 'hi' }] }))
      if (refused instanceof Error) break
      await Bun.sleep(10)
    }
    expect(refused).toMatchObject({ status: 401 })

    // A credit made through one replica is the balance every replica sees.
    const user = await first.createUser({ balanceUsd: 1.25 })
    const balanceOnSecond = await second.admin<{ balance_micros: number }>('GET', `/api/v1/admin/users/${user.id}`)
    expect(balanceOnSecond.body.balance_micros).toBe(1_250_000)

    // A device-flow login behind a load balancer: started on one replica, approved on the other's
    // /device page, exchanged on the first, and the session works on the second.
    const person = { email: `device-${crypto.randomUUID()}@example.com`, password: 'correct horse battery staple' }
    await first.createUser(person)
    const form = (fields: Record<string, string>) => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    })
    const started = (await (await fetch(`${first.url}/api/v1/auth/device/code`, form({ client_id: 'cli' }))).json()) as {
      device_code: string
      user_code: string
    }
    const approved = await createDeviceBrowser(second.url).answer(started.user_code, person.email, person.password, 'approve')
    expect(approved.status).toBe(200)
    const poll = () =>
      fetch(
        `${first.url}/api/v1/auth/token`,
        form({ grant_type: 'urn:ietf:params:oauth:grant-type:device_code', device_code: started.device_code, client_id: 'cli' }),
      )
    const token = (await (await poll()).json()) as { access_token?: string }
    expect(token.access_token).toStartWith('sy-session-')
    expect((await (await poll()).json()) as { error?: string }).toMatchObject({ error: 'invalid_grant' })
    const session = await fetch(`${second.url}/api/v1/auth/session`, { headers: { authorization: `Bearer ${token.access_token}` } })
    expect(session.status).toBe(200)

    // The /device abuse limits are counted in Redis: wrong codes spread over both replicas add up
    // (five lock the address out), and the lockout holds on both, even for a right code.
    const onFirst = createDeviceBrowser(first.url)
    const onSecond2 = createDeviceBrowser(second.url)
    await onFirst.open()
    await onSecond2.open()
    for (const browser of [onFirst, onSecond2, onFirst, onSecond2, onFirst]) {
      expect((await browser.submit({ action: 'lookup', user_code: 'BBBB-BBBB' })).status).toBe(400)
    }
    const another = (await (await fetch(`${second.url}/api/v1/auth/device/code`, form({ client_id: 'cli' }))).json()) as {
      user_code: string
    }
    for (const browser of [onFirst, onSecond2]) {
      const blocked = await browser.submit({ action: 'lookup', user_code: another.user_code })
      expect(blocked.status).toBe(429)
      expect(blocked.html).toContain('Too many attempts')
    }
  }, 60_000)
})
