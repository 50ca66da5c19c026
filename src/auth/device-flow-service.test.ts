import { describe, expect, test } from 'bun:test'
import { createDeviceFlowService, deviceCodeLifetimeSeconds } from './device-flow-service.ts'

describe('device flow state', () => {
  test('pending logins are capped, and expired ones are swept to make room', () => {
    let now = 0
    const flow = createDeviceFlowService({ now: () => now })
    for (let index = 0; index < 10_000; index++) expect(flow.start({ clientId: 'c', clientName: 'c', scope: 'manage' })).toBeDefined()
    expect(flow.start({ clientId: 'c', clientName: 'c', scope: 'manage' })).toBeUndefined()
    // Expired entries are kept one more lifetime (to answer expired_token), then swept.
    now += 2 * deviceCodeLifetimeSeconds * 1000 + 1
    expect(flow.start({ clientId: 'c', clientName: 'c', scope: 'manage' })).toBeDefined()
  })

  test('approval binds the user; the token is handed out once', () => {
    let now = 0
    const flow = createDeviceFlowService({ now: () => now })
    const started = flow.start({ clientId: 'cli', clientName: 'CLI', scope: 'manage' })
    if (started == null) throw new Error('not started')
    expect(flow.approve(started.userCode.toLowerCase(), 'user_1')).toBe(true)
    expect(flow.approve(started.userCode, 'user_2')).toBe(false)
    now += 5_000
    expect(flow.poll(started.deviceCode, 'cli')).toEqual({ kind: 'approved', userId: 'user_1', clientId: 'cli', scope: 'manage' })
    expect(flow.poll(started.deviceCode, 'cli')).toEqual({ kind: 'error', error: 'invalid_grant' })
  })
})
