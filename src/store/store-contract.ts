import { afterEach, beforeEach, describe, expect, test } from 'bun:test'
import { type ApiKeyRecord, defaultRateLimits, type LedgerEntry, type RequestLogRow, type Store } from './store.ts'

/**
 * One contract, every Store implementation: each implementation's test file calls this with a
 * factory that returns a fresh, migrated, empty store.
 */
export function runStoreContract(name: string, createStore: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store
    beforeEach(async () => {
      store = await createStore()
    })
    afterEach(async () => {
      await store.close()
    })

    const key = (overrides: Partial<ApiKeyRecord> = {}): ApiKeyRecord => ({
      id: 'key_1',
      name: 'first',
      keyPrefix: 'sk-sy-abcd',
      digest: 'a'.repeat(64),
      scopes: ['chat', 'embeddings'],
      createdAt: 1_700_000_000_000,
      revokedAt: null,
      userId: null,
      limitMicros: null,
      monthlyBudgetMicros: null,
      rateLimits: defaultRateLimits,
      allowedModels: [],
      expiresAt: null,
      ...overrides,
    })

    const user = (id: string, email = `${id}@example.com`) => ({
      id,
      email,
      passwordHash: '$argon2id$v=19$x',
      createdAt: 1_700_000_000_000,
    })

    const charge = (overrides: Partial<LedgerEntry> = {}): LedgerEntry => ({
      id: 'req_a',
      userId: 'usr_1',
      keyId: 'key_1',
      kind: 'charge',
      amountMicros: -300,
      note: 'openai/gpt-4o-mini',
      actor: 'key:key_1',
      requestId: 'req_a',
      createdAt: Date.UTC(2026, 10, 21),
      ...overrides,
    })

    const logRow = (overrides: Partial<RequestLogRow> = {}): RequestLogRow => ({
      requestId: 'req_1',
      keyId: 'key_1',
      endpoint: '/v1/chat/completions',
      model: 'openai/gpt-4o-mini',
      provider: 'openai',
      status: 200,
      errorCode: null,
      stream: true,
      inputTokens: 12,
      outputTokens: 34,
      cachedInputTokens: 5,
      reasoningTokens: 2,
      costMicros: 9_007_199_254,
      latencyMs: 120,
      ttftMs: 40,
      createdAt: 1_700_000_000_123,
      ...overrides,
    })

    test('migrate is idempotent', async () => {
      await store.migrate()
      await store.migrate()
      expect(await store.apiKeys.list()).toEqual([])
    })

    test('keys round-trip and are found by digest', async () => {
      await store.apiKeys.insert(key())
      expect(await store.apiKeys.findByDigest('a'.repeat(64))).toEqual(key())
      expect(await store.apiKeys.get('key_1')).toEqual(key())
      expect(await store.apiKeys.findByDigest('b'.repeat(64))).toBeUndefined()
      expect(await store.apiKeys.get('missing')).toBeUndefined()
    })

    test('a digest is unique', async () => {
      await store.apiKeys.insert(key())
      await expect(store.apiKeys.insert(key({ id: 'key_2' }))).rejects.toThrow()
    })

    test('list is ordered by creation', async () => {
      await store.apiKeys.insert(key({ id: 'key_b', digest: 'b'.repeat(64), createdAt: 2 }))
      await store.apiKeys.insert(key({ id: 'key_a', digest: 'c'.repeat(64), createdAt: 1, scopes: [] }))
      const listed = await store.apiKeys.list()
      expect(listed.map((record) => record.id)).toEqual(['key_a', 'key_b'])
      expect(listed[0]?.scopes).toEqual([])
    })

    test('revoke marks once and keeps the first time', async () => {
      await store.apiKeys.insert(key())
      expect((await store.apiKeys.revoke('key_1', 10))?.revokedAt).toBe(10)
      expect((await store.apiKeys.revoke('key_1', 20))?.revokedAt).toBe(10)
      expect(await store.apiKeys.revoke('missing', 10)).toBeUndefined()
    })

    test('request log rows round-trip exactly, large micro-dollar amounts included', async () => {
      await store.requestLog.insertMany([
        logRow(),
        logRow({
          requestId: 'req_2',
          keyId: null,
          ttftMs: null,
          stream: false,
          model: null,
          provider: null,
          errorCode: 'model_not_found',
          status: 404,
        }),
      ])
      expect(await store.requestLog.get('req_1')).toEqual(logRow())
      expect((await store.requestLog.get('req_2'))?.errorCode).toBe('model_not_found')
      expect(await store.requestLog.get('missing')).toBeUndefined()
    })

    test('a request id is written once (idempotent batches)', async () => {
      await store.requestLog.insertMany([logRow()])
      await store.requestLog.insertMany([logRow({ costMicros: 1 }), logRow({ requestId: 'req_3' })])
      expect((await store.requestLog.get('req_1'))?.costMicros).toBe(logRow().costMicros)
      expect(await store.requestLog.get('req_3')).toBeDefined()
    })

    test('list filters by key, pages by time, newest first', async () => {
      const rows = Array.from({ length: 5 }, (_, index) =>
        logRow({ requestId: `req_${index}`, createdAt: 1000 + index, keyId: index % 2 === 0 ? 'key_1' : 'key_2' }),
      )
      await store.requestLog.insertMany(rows)
      expect((await store.requestLog.list({ limit: 10 })).map((row) => row.requestId)).toEqual([
        'req_4',
        'req_3',
        'req_2',
        'req_1',
        'req_0',
      ])
      expect((await store.requestLog.list({ limit: 10, keyId: 'key_2' })).map((row) => row.requestId)).toEqual(['req_3', 'req_1'])
      expect((await store.requestLog.list({ limit: 2, before: 1003 })).map((row) => row.requestId)).toEqual(['req_2', 'req_1'])
    })

    test('plan steps round-trip and list in step order under their parent', async () => {
      const step = (index: number, role: string) =>
        logRow({
          requestId: `req_plan_s${index}`,
          parentRequestId: 'req_plan',
          stepIndex: index,
          stepRole: role,
          outputExcerpt: `answer ${index} ✓`,
          costMicros: 100 * index,
        })
      await store.requestLog.insertMany([
        logRow({ requestId: 'req_plan', costMicros: 0 }),
        step(2, 'critique'),
        step(1, 'plan'),
        step(3, 'refine'),
      ])
      await store.requestLog.insertMany([logRow({ requestId: 'req_other_s1', parentRequestId: 'req_other', stepIndex: 1 })])
      const steps = await store.requestLog.listSteps('req_plan')
      expect(steps).toEqual([step(1, 'plan'), step(2, 'critique'), step(3, 'refine')])
      expect(await store.requestLog.get('req_plan')).toEqual(logRow({ requestId: 'req_plan', costMicros: 0 }))
      expect(await store.requestLog.listSteps('req_none')).toEqual([])
    })

    test('sessions round-trip by digest and revoke once', async () => {
      const record = {
        id: 'ses_1',
        userId: 'user_1',
        digest: 'd'.repeat(64),
        clientId: 'switchyard-cli',
        scope: 'manage',
        createdAt: 1_700_000_000_000,
        expiresAt: 1_702_592_000_000,
        revokedAt: null,
      }
      await store.sessions.insert(record)
      expect(await store.sessions.findByDigest(record.digest)).toEqual(record)
      expect(await store.sessions.findByDigest('e'.repeat(64))).toBeUndefined()
      expect((await store.sessions.revoke('ses_1', 1_700_000_001_000))?.revokedAt).toBe(1_700_000_001_000)
      expect((await store.sessions.revoke('ses_1', 1_700_000_002_000))?.revokedAt).toBe(1_700_000_001_000)
      expect(await store.sessions.revoke('ses_missing', 1)).toBeUndefined()
    })

    test('settings upsert', async () => {
      expect(await store.settings.get('admin_token_digest')).toBeUndefined()
      await store.settings.set('admin_token_digest', 'one')
      await store.settings.set('admin_token_digest', 'two')
      expect(await store.settings.get('admin_token_digest')).toBe('two')
    })

    test('users round-trip; email is unique', async () => {
      await store.users.insert(user('usr_1'))
      expect(await store.users.get('usr_1')).toEqual(user('usr_1'))
      expect(await store.users.findByEmail('usr_1@example.com')).toEqual(user('usr_1'))
      await expect(store.users.insert(user('usr_2', 'usr_1@example.com'))).rejects.toThrow()
      expect((await store.users.list()).map((row) => row.id)).toEqual(['usr_1'])
    })

    test('key fields round-trip; keys are listed per owner', async () => {
      await store.users.insert(user('usr_1'))
      const full = key({
        userId: 'usr_1',
        limitMicros: 5_000_000,
        monthlyBudgetMicros: 1_000_000,
        rateLimits: { burstRps: 3, requestsPerMinute: 60, tokensPerMinute: null, maxConcurrent: 2 },
        allowedModels: ['openai/*'],
        expiresAt: 1_800_000_000_000,
      })
      await store.apiKeys.insert(full)
      await store.apiKeys.insert(key({ id: 'key_2', digest: 'd'.repeat(64) }))
      expect(await store.apiKeys.get('key_1')).toEqual(full)
      expect((await store.apiKeys.listByUser('usr_1')).map((row) => row.id)).toEqual(['key_1'])
      await store.apiKeys.revoke('key_2', 500)
      expect((await store.apiKeys.listRevokedSince(400)).map((row) => row.id)).toEqual(['key_2'])
      expect(await store.apiKeys.listRevokedSince(501)).toEqual([])
    })

    test('ledger: credits and charges move the balance and key spend exactly once each', async () => {
      await store.users.insert(user('usr_1'))
      await store.apiKeys.insert(key({ userId: 'usr_1' }))
      const credit = charge({ id: 'topup_1', kind: 'credit', amountMicros: 1_000, keyId: null, actor: 'admin', createdAt: 1 })
      expect(await store.money.apply([credit])).toEqual([{ applied: true, balanceMicros: 1_000 }])
      expect(await store.money.apply([credit, charge()])).toEqual([
        { applied: false, balanceMicros: 1_000 },
        { applied: true, balanceMicros: 700 },
      ])
      expect(await store.money.apply([charge()])).toEqual([{ applied: false, balanceMicros: 700 }])
      expect(await store.money.account('usr_1')).toEqual({ balanceMicros: 700, reservedMicros: 0 })
      expect(await store.money.ledgerTotal('usr_1')).toBe(700)
      expect(await store.money.keySpend('key_1')).toEqual({
        spentMicros: 300,
        spendMonth: '2026-11',
        monthSpentMicros: 300,
        reservedMicros: 0,
      })
      await store.money.apply([charge({ id: 'req_b', amountMicros: -50, createdAt: Date.UTC(2026, 11, 2) })])
      expect(await store.money.keySpend('key_1')).toMatchObject({ spentMicros: 350, spendMonth: '2026-12', monthSpentMicros: 50 })
      const ledger = await store.money.ledger({ userId: 'usr_1', limit: 10 })
      expect(ledger.map((row) => [row.id, row.balanceAfterMicros])).toEqual([
        ['req_b', 650],
        ['req_a', 700],
        ['topup_1', 1_000],
      ])
    })

    test('a batch with an unknown user changes nothing', async () => {
      await store.users.insert(user('usr_1'))
      await expect(
        store.money.apply([charge({ id: 'c1', kind: 'credit', amountMicros: 10, keyId: null }), charge({ id: 'c2', userId: 'nobody' })]),
      ).rejects.toThrow()
      expect(await store.money.account('usr_1')).toEqual({ balanceMicros: 0, reservedMicros: 0 })
    })

    test('reserve holds against balance, key ceiling and monthly budget, and says which refused', async () => {
      await store.users.insert(user('usr_1'))
      await store.apiKeys.insert(key({ userId: 'usr_1' }))
      await store.money.apply([charge({ id: 'topup', kind: 'credit', amountMicros: 1_000, keyId: null })])
      const hold = { userId: 'usr_1', keyId: 'key_1', month: '2026-11', limitMicros: 800, monthlyBudgetMicros: 600 }
      expect(await store.money.reserve({ ...hold, amountMicros: 500 })).toBe('reserved')
      expect(await store.money.reserve({ ...hold, amountMicros: 200, monthlyBudgetMicros: null })).toBe('reserved')
      expect(await store.money.reserve({ ...hold, amountMicros: 200, monthlyBudgetMicros: null, limitMicros: null })).toBe('reserved')
      expect(await store.money.reserve({ ...hold, amountMicros: 101, limitMicros: null, monthlyBudgetMicros: null })).toBe('balance')
      expect(await store.money.reserve({ ...hold, amountMicros: 100, monthlyBudgetMicros: null })).toBe('key_limit')
      expect(await store.money.reserve({ ...hold, amountMicros: 100, limitMicros: null })).toBe('monthly_budget')
      expect(await store.money.account('usr_1')).toEqual({ balanceMicros: 1_000, reservedMicros: 900 })
      // Settling releases the hold and charges the real cost in one transaction.
      await store.money.apply([charge({ id: 'r1', amountMicros: -120, releaseReservedMicros: 500 })])
      await store.money.release({ userId: 'usr_1', keyId: 'key_1', amountMicros: 400 })
      expect(await store.money.account('usr_1')).toEqual({ balanceMicros: 880, reservedMicros: 0 })
      expect(await store.money.keySpend('key_1')).toMatchObject({ spentMicros: 120, reservedMicros: 0 })
      expect(await store.money.reserve({ ...hold, userId: 'nobody', amountMicros: 1 })).toBe('no_account')
    })

    test('hold rows: a live owner renews its lease; an expired lease is swept once, and what it released is never released again', async () => {
      await store.users.insert(user('usr_1'))
      await store.apiKeys.insert(key({ userId: 'usr_1' }))
      await store.money.apply([charge({ id: 'topup', kind: 'credit', amountMicros: 1_000, keyId: null })])
      const limits = { userId: 'usr_1', keyId: 'key_1', month: '2026-11', limitMicros: null, monthlyBudgetMicros: null }
      const lease = (id: string, owner: string) => ({ id, owner, expiresAt: 100 })
      expect(await store.money.reserve({ ...limits, amountMicros: 300, hold: lease('h_dead', 'replica-dead') })).toBe('reserved')
      expect(await store.money.reserve({ ...limits, amountMicros: 200, hold: lease('h_live', 'replica-live') })).toBe('reserved')
      expect(await store.money.reserve({ ...limits, amountMicros: 100, hold: lease('h_plan', 'replica-dead') })).toBe('reserved')
      expect(await store.money.account('usr_1')).toEqual({ balanceMicros: 1_000, reservedMicros: 600 })
      // A plan's step charge takes part of its hold before the process dies.
      await store.money.apply([charge({ id: 'step_1', amountMicros: -40, releaseReservedMicros: 40, holdId: 'h_plan' })])
      // Nothing is due yet; then the live owner renews, and only the dead owner's holds expire.
      expect(await store.money.sweepExpiredHolds(100)).toEqual([])
      expect(await store.money.renewHolds({ owner: 'replica-live', expiresAt: 500 })).toBe(1)
      const swept = await store.money.sweepExpiredHolds(200)
      expect(swept.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
        { id: 'h_dead', userId: 'usr_1', keyId: 'key_1', releasedMicros: 300 },
        { id: 'h_plan', userId: 'usr_1', keyId: 'key_1', releasedMicros: 60 },
      ])
      expect(await store.money.sweepExpiredHolds(200)).toEqual([])
      expect(await store.money.account('usr_1')).toEqual({ balanceMicros: 960, reservedMicros: 200 })
      // The dead process's late settle still charges, but releases nothing the sweep released.
      await store.money.apply([charge({ id: 'h_dead', amountMicros: -50, releaseReservedMicros: 300, holdId: 'h_dead' })])
      await store.money.release({ userId: 'usr_1', keyId: 'key_1', amountMicros: 60, holdId: 'h_plan' })
      expect(await store.money.account('usr_1')).toEqual({ balanceMicros: 910, reservedMicros: 200 })
      // The live hold settles normally: part charged, the rest released, its row gone.
      await store.money.apply([charge({ id: 'h_live', amountMicros: -70, releaseReservedMicros: 200, holdId: 'h_live' })])
      expect(await store.money.account('usr_1')).toEqual({ balanceMicros: 840, reservedMicros: 0 })
      expect(await store.money.keySpend('key_1')).toMatchObject({ spentMicros: 160, reservedMicros: 0 })
      expect(await store.money.renewHolds({ owner: 'replica-live', expiresAt: 900 })).toBe(0)
      expect(await store.money.ledgerTotal('usr_1')).toBe(840)
    })

    test('device logins: decisions and the exchange happen once; expired rows are deleted', async () => {
      const logins = store.deviceAuthorizations
      const record = {
        deviceCodeDigest: 'digest_1',
        userCode: 'ABCDEFGH',
        clientId: 'cli',
        clientName: 'CLI',
        scope: 'manage',
        expiresAt: 1_000,
        intervalSeconds: 5,
        lastPolledAt: null,
        state: 'pending' as const,
        userId: null,
        failedSignIns: 0,
      }
      expect(await logins.insert(record)).toBe(true)
      expect(await logins.insert({ ...record, deviceCodeDigest: 'digest_2' })).toBe(false)
      expect(await logins.findByUserCode('ABCDEFGH')).toEqual(record)
      await logins.recordPoll('digest_1', 100, 10)
      expect(await logins.findByDeviceDigest('digest_1')).toMatchObject({ lastPolledAt: 100, intervalSeconds: 10 })
      expect(await logins.markUsed('digest_1')).toBe(false)
      expect(await logins.decide('ABCDEFGH', { state: 'approved', userId: 'usr_1' }, 2_000)).toBe(false)
      expect(await logins.decide('ABCDEFGH', { state: 'approved', userId: 'usr_1' }, 500)).toBe(true)
      expect(await logins.decide('ABCDEFGH', { state: 'denied' }, 500)).toBe(false)
      expect(await logins.recordFailedSignIn('ABCDEFGH', 500, 5)).toEqual({ locked: true })
      expect(await logins.markUsed('digest_1')).toBe(true)
      expect(await logins.markUsed('digest_1')).toBe(false)
      expect(await logins.insert({ ...record, deviceCodeDigest: 'digest_3', userCode: 'ZZZZZZZZ', expiresAt: 5_000 })).toBe(true)
      expect(await logins.recordFailedSignIn('ZZZZZZZZ', 500, 2)).toEqual({ locked: false })
      expect(await logins.recordFailedSignIn('ZZZZZZZZ', 500, 2)).toEqual({ locked: true })
      expect(await logins.findByUserCode('ZZZZZZZZ')).toMatchObject({ state: 'denied', failedSignIns: 2 })
      expect(await logins.count()).toBe(2)
      await logins.deleteExpiredBefore(2_000)
      expect(await logins.count()).toBe(1)
    })

    test('the audit log is append-only', async () => {
      const row = {
        actor: 'admin',
        action: 'user.create',
        target: 'usr_1',
        before: null,
        after: '{"email":"a@b"}',
        requestId: 'req_1',
        createdAt: 5,
      }
      await store.audit.append(row)
      await store.audit.append({ ...row, action: 'credit', createdAt: 6 })
      const listed = await store.audit.list({ limit: 10 })
      expect(listed.map((entry) => entry.action)).toEqual(['credit', 'user.create'])
      expect(listed[1]).toMatchObject(row)
      expect((await store.audit.list({ limit: 10, before: listed[0]?.seq ?? 0 })).map((entry) => entry.action)).toEqual(['user.create'])
    })

    test('usage groups successful and aborted requests by day, model and key, per owner', async () => {
      await store.users.insert(user('usr_1'))
      await store.apiKeys.insert(key({ userId: 'usr_1' }))
      const day = Date.UTC(2026, 10, 20, 12)
      await store.requestLog.insertMany([
        logRow({ requestId: 'u1', createdAt: day, costMicros: 10 }),
        logRow({ requestId: 'u2', createdAt: day + 1, costMicros: 5, status: 499, errorCode: 'client_aborted' }),
        logRow({ requestId: 'u3', createdAt: day + 2, costMicros: 99, status: 502, errorCode: 'upstream_error' }),
        logRow({ requestId: 'u4', createdAt: day + 3, costMicros: 7, keyId: 'key_other' }),
        logRow({ requestId: 'old', createdAt: day - 86_400_000 * 3, costMicros: 1 }),
      ])
      expect(await store.usage.groups({ since: day - 1000, userId: 'usr_1' })).toEqual([
        { day: '2026-11-20', model: 'openai/gpt-4o-mini', keyId: 'key_1', requests: 2, inputTokens: 24, outputTokens: 68, costMicros: 15 },
      ])
      expect((await store.usage.groups({ since: day - 1000 })).length).toBe(2)
      expect((await store.requestLog.list({ limit: 10, userId: 'usr_1' })).map((row) => row.requestId)).toEqual(['u3', 'u2', 'u1', 'old'])
    })
  })
}
