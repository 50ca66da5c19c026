import { describe, expect, test } from 'bun:test'
import { createSqliteStore } from '../store/sqlite/sqlite-store.ts'
import { createSessionService, sessionLifetimeSeconds } from './session-service.ts'

async function twoReplicas() {
  const store = createSqliteStore(':memory:')
  await store.migrate()
  let now = 1_700_000_000_000
  const clock = () => now
  return {
    store,
    first: createSessionService({ store, now: clock }),
    second: createSessionService({ store, now: clock }),
    advance(ms: number) {
      now += ms
    },
  }
}

describe('session service (two replicas over one SQLite store)', () => {
  test('a token works on both; only its digest is stored', async () => {
    const { store, first, second } = await twoReplicas()
    const issued = await first.issue({ userId: 'user_1', clientId: 'switchyard-cli', scope: 'manage' })
    expect(issued.session.digest).not.toContain(issued.token)
    expect(await second.authenticator.authenticate(issued.token)).toEqual({ userId: 'user_1', sessionId: issued.session.id })
    expect(await store.sessions.findByDigest(issued.token)).toBeUndefined()
    expect(await first.authenticator.authenticate('sy-session-unknown')).toBeUndefined()
    expect(await first.authenticator.authenticate('sk-sy-not-a-session')).toBeUndefined()
  })

  test('logout takes effect at once on its replica and within 30 s on the other', async () => {
    const { first, second, advance } = await twoReplicas()
    const issued = await first.issue({ userId: 'user_1', clientId: 'c', scope: 'manage' })
    expect(await second.authenticator.authenticate(issued.token)).toBeDefined()
    expect(await first.revoke(issued.token)).toBe(true)
    expect(await first.authenticator.authenticate(issued.token)).toBeUndefined()
    advance(30_001)
    expect(await second.authenticator.authenticate(issued.token)).toBeUndefined()
    expect(await first.revoke(issued.token)).toBe(false)
  })

  test('a session expires after its lifetime', async () => {
    const { first, advance } = await twoReplicas()
    const issued = await first.issue({ userId: 'user_1', clientId: 'c', scope: 'manage' })
    advance(sessionLifetimeSeconds * 1000 - 1)
    expect(await first.authenticator.authenticate(issued.token)).toBeDefined()
    advance(1)
    expect(await first.authenticator.authenticate(issued.token)).toBeUndefined()
  })
})
