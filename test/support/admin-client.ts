import { expect } from 'bun:test'

export type Admin = <T>(method: string, path: string, body?: unknown) => Promise<{ status: number; body: T }>

/** The admin API of a gateway process, over real HTTP with its admin token. */
export function adminClient(url: string, token: string): Admin {
  return async (method, path, body) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    return { status: response.status, body: await response.json() }
  }
}

/** A new user credited `balanceMicros`, and an API key of theirs. */
export async function fundedKey(admin: Admin, balanceMicros: number): Promise<{ userId: string; keyId: string; raw: string }> {
  const user = await admin<{ id: string }>('POST', '/api/v1/admin/users', { email: `money-${crypto.randomUUID()}@example.com` })
  expect(user.status).toBe(201)
  const credit = await admin('POST', '/api/v1/admin/credits', {
    user_id: user.body.id,
    amount_usd: balanceMicros / 1_000_000,
    note: 'test',
  })
  expect(credit.status).toBe(201)
  const key = await admin<{ id: string; raw: string }>('POST', '/api/v1/admin/keys', { name: 'money', user_id: user.body.id })
  expect(key.status).toBe(201)
  return { userId: user.body.id, keyId: key.body.id, raw: key.body.raw }
}
