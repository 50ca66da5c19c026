import { afterAll, describe, expect, test } from 'bun:test'
import { createSqliteStore } from '../store/sqlite/sqlite-store.ts'
import { createDeviceFlowService, deviceCodeLifetimeSeconds } from './device-flow-service.ts'

const stores: Array<ReturnType<typeof createSqliteStore>> = []
afterAll(async () => {
  for (const store of stores) await store.close()
})

async function freshStore() {
  const store = createSqliteStore(':memory:')
  await store.migrate()
  stores.push(store)
  return store.deviceAuthorizations
}

describe('device flow state', () => {
  test('pending logins are capped, and expired ones are swept to make room', async () => {
    let now = 0
    const flow = createDeviceFlowService({ store: await freshStore(), now: () => now })
    for (let index = 0; index < 10_000; index++) expect(await flow.start({ clientId: 'c', clientName: 'c', scope: 'manage' })).toBeDefined()
    expect(await flow.start({ clientId: 'c', clientName: 'c', scope: 'manage' })).toBeUndefined()
    // Expired entries are kept one more lifetime (to answer expired_token), then swept.
    now += 2 * deviceCodeLifetimeSeconds * 1000 + 1
    expect(await flow.start({ clientId: 'c', clientName: 'c', scope: 'manage' })).toBeDefined()
  })

  test('approval binds the user; the token is handed out once', async () => {
    let now = 0
    const flow = createDeviceFlowService({ store: await freshStore(), now: () => now })
    const started = await flow.start({ clientId: 'cli', clientName: 'CLI', scope: 'manage' })
    if (started == null) throw new Error('not started')
    expect(await flow.approve(started.userCode.toLowerCase(), 'user_1')).toBe(true)
    expect(await flow.approve(started.userCode, 'user_2')).toBe(false)
    now += 5_000
    expect(await flow.poll(started.deviceCode, 'cli')).toEqual({ kind: 'approved', userId: 'user_1', clientId: 'cli', scope: 'manage' })
    expect(await flow.poll(started.deviceCode, 'cli')).toEqual({ kind: 'error', error: 'invalid_grant' })
  })

  test('replicas share logins: started on one, approved on another, exchanged once however many are polled', async () => {
    let now = 0
    const store = await freshStore()
    const [first, second, third] = [0, 1, 2].map(() => createDeviceFlowService({ store, now: () => now })) as [
      ReturnType<typeof createDeviceFlowService>,
      ReturnType<typeof createDeviceFlowService>,
      ReturnType<typeof createDeviceFlowService>,
    ]
    const started = await first.start({ clientId: 'cli', clientName: 'CLI', scope: 'manage' })
    if (started == null) throw new Error('not started')
    expect(await second.describe(started.userCode)).toMatchObject({ clientName: 'CLI' })
    expect(await second.poll(started.deviceCode, 'cli')).toEqual({ kind: 'error', error: 'authorization_pending' })
    // Polling another replica too soon still counts: the interval is shared.
    expect(await third.poll(started.deviceCode, 'cli')).toEqual({ kind: 'error', error: 'slow_down', interval: 10 })
    expect(await second.approve(started.userCode, 'user_1')).toBe(true)
    now += 20_000
    const answers = await Promise.all([first, second, third].map((flow) => flow.poll(started.deviceCode, 'cli')))
    expect(answers.filter((answer) => answer.kind === 'approved')).toHaveLength(1)
    // Five wrong passwords on any replicas lock a code for all of them.
    const other = await first.start({ clientId: 'cli', clientName: 'CLI', scope: 'manage' })
    if (other == null) throw new Error('not started')
    for (const flow of [first, second, third, first]) expect(await flow.recordFailedSignIn(other.userCode)).toEqual({ locked: false })
    expect(await second.recordFailedSignIn(other.userCode)).toEqual({ locked: true })
    expect(await third.approve(other.userCode, 'user_1')).toBe(false)
    expect(await first.poll(other.deviceCode, 'cli')).toEqual({ kind: 'error', error: 'access_denied' })
  })
})
