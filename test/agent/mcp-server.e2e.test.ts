import { afterAll, beforeAll, describe, expect, test } from 'bun:test'
import { Client } from '@modelcontextprotocol/sdk/client/index.js'
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js'
import { type FakeStripe, startFakeStripe } from '../support/fake-stripe.ts'
import { loginViaDeviceFlow } from '../support/login-via-device-flow.ts'
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.ts'

// The remote MCP server at /mcp: the official SDK client (initialize-era revisions) and raw
// requests in the session-less 2026-07-28 shape, against a real gateway over HTTP. The session
// belongs to a real user (admin-created, with a password and $10), signed in on /device; top-ups go
// to a loopback fake Stripe.

const stripeSecretKey = `sk_test_mcp_${crypto.randomUUID().replaceAll('-', '')}`
const stripeWebhookSecret = `whsec_mcp_${crypto.randomUUID().replaceAll('-', '')}`
const user = { id: '', email: `mcp-${crypto.randomUUID()}@example.com`, password: 'correct horse battery staple' }
let gateway: TestGateway
let fakeStripe: FakeStripe
let now = Date.now()
let sessionToken: string
const advance = (ms: number) => {
  now += ms
}

beforeAll(async () => {
  fakeStripe = startFakeStripe({ secretKey: stripeSecretKey })
  gateway = await startTestGateway({
    now: () => now,
    env: { STRIPE_SECRET_KEY: stripeSecretKey, STRIPE_WEBHOOK_SECRET: stripeWebhookSecret, STRIPE_API_BASE: fakeStripe.url },
  })
  user.id = (await gateway.createUser({ email: user.email, password: user.password, balanceUsd: 10 })).id
  sessionToken = await loginViaDeviceFlow(gateway.url, user, advance)
})

afterAll(async () => {
  await gateway.stop()
  fakeStripe.close()
})

async function connect(token: string): Promise<Client> {
  const client = new Client({ name: 'switchyard-test', version: '1.0.0' })
  const transport = new StreamableHTTPClientTransport(new URL(`${gateway.url}/mcp`), {
    requestInit: { headers: { authorization: `Bearer ${token}` } },
  })
  await client.connect(transport)
  return client
}

type ToolCall = { isError?: boolean; content: Array<{ type: string; text?: string }>; structuredContent?: Record<string, unknown> }
const textOf = (result: ToolCall) => result.content.map((part) => part.text ?? '').join('')

describe('MCP with the official SDK client (session-based era)', () => {
  test('lists every tool with an input schema', async () => {
    const client = await connect(sessionToken)
    try {
      const { tools } = await client.listTools()
      expect(tools.map((tool) => tool.name).sort()).toEqual(
        ['balance', 'chat', 'keys_create', 'keys_list', 'keys_revoke', 'models', 'topup', 'usage', 'whoami'].sort(),
      )
      for (const tool of tools) {
        expect(tool.inputSchema.type).toBe('object')
        expect(tool.description?.length ?? 0).toBeGreaterThan(10)
      }
      const topup = tools.find((tool) => tool.name === 'topup')
      expect(topup?.description).toContain('NEVER pay')
      expect(topup?.inputSchema.required).toEqual(['amount_usd'])
    } finally {
      await client.close()
    }
  })

  test('whoami and models work with a session token', async () => {
    const client = await connect(sessionToken)
    try {
      const whoami = (await client.callTool({ name: 'whoami', arguments: {} })) as ToolCall
      expect(whoami.isError).toBeFalsy()
      expect(whoami.structuredContent).toMatchObject({ id: user.id, email: user.email, balance_usd: 10, auth: 'session' })
      const models = (await client.callTool({ name: 'models', arguments: {} })) as ToolCall
      expect(models.isError).toBeFalsy()
      const listed = JSON.parse(textOf(models)) as Array<{ id: string }>
      expect(listed.some((model) => model.id === 'switchyard/echo')).toBe(true)
    } finally {
      await client.close()
    }
  })

  test('the account lifecycle with a session: balance, keys_create, usage, keys_list, keys_revoke, topup', async () => {
    const client = await connect(sessionToken)
    const call = async (name: string, args: Record<string, unknown> = {}) => {
      const result = (await client.callTool({ name, arguments: args })) as ToolCall
      expect({ name, isError: result.isError ?? false, text: result.isError ? textOf(result) : '' }).toEqual({
        name,
        isError: false,
        text: '',
      })
      return result
    }
    try {
      const balance = await call('balance')
      expect(balance.structuredContent).toEqual({
        balance_usd: '10.000000',
        currency: 'USD',
        balance_micros: 10_000_000,
        reserved_micros: 0,
      })

      const created = (await call('keys_create', { name: 'mcp-project' })).structuredContent as Record<string, unknown>
      expect(created).toMatchObject({ name: 'mcp-project', user_id: user.id, scopes: ['chat', 'embeddings'], revoked_at: null })
      expect(String(created.raw)).toMatch(/^sk-sy-/)
      expect(String(created.raw)).toStartWith(String(created.key_prefix))

      // The new key works on the data plane at once, and its request shows up in usage.
      const chatted = await call('chat', { model: 'echo', prompt: 'counted', api_key: created.raw })
      expect(String(chatted.structuredContent?.reply)).toContain('counted')
      let usage: Record<string, unknown> = {}
      for (let attempt = 0; attempt < 100 && usage.total_requests !== 1; attempt++) {
        usage = (await call('usage', { days: 7 })).structuredContent as Record<string, unknown>
        if (usage.total_requests !== 1) await Bun.sleep(25)
      }
      expect(usage).toMatchObject({ range_days: 7, total_requests: 1, total_cost_usd: '0.000000' })
      expect(usage.per_key).toEqual([expect.objectContaining({ key_id: created.id, requests: 1 })])

      const listed = (await call('keys_list')).structuredContent as { object: string; data: Array<Record<string, unknown>> }
      expect(listed.object).toBe('list')
      const mine = listed.data.find((key) => key.id === created.id)
      expect(mine).toMatchObject({ name: 'mcp-project', key_prefix: created.key_prefix })
      expect(listed.data.every((key) => !('raw' in key))).toBe(true)

      const revoked = (await call('keys_revoke', { id: created.id })).structuredContent as Record<string, unknown>
      expect(revoked).toMatchObject({ id: created.id })
      expect(typeof revoked.revoked_at).toBe('string')
      const refused = (await client.callTool({ name: 'chat', arguments: { model: 'echo', prompt: 'x', api_key: created.raw } })) as ToolCall
      expect(refused.isError).toBe(true)
      expect(textOf(refused)).toContain('HTTP 401')

      const topup = (await call('topup', { amount_usd: 5 })).structuredContent as Record<string, unknown>
      expect(Object.keys(topup).sort()).toEqual(['amount_usd', 'checkout_url', 'expires_at', 'instructions', 'session_id'])
      expect(topup).toMatchObject({ amount_usd: '5.00' })
      expect(String(topup.checkout_url)).toStartWith(`${fakeStripe.url}/c/pay/`)
      expect(String(topup.instructions)).toContain('must not pay')
      // Nothing is credited until Stripe says the human paid; then exactly that amount.
      expect((await call('balance')).structuredContent).toMatchObject({ balance_micros: 10_000_000 })
      const delivery = await fakeStripe.signedDelivery(fakeStripe.paidEvent(String(topup.session_id)), stripeWebhookSecret)
      const webhook = await fetch(`${gateway.url}/api/v1/stripe/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': delivery.signature },
        body: delivery.body,
      })
      expect(await webhook.json()).toEqual({ received: true, credited: true })
      expect((await call('balance')).structuredContent).toMatchObject({ balance_usd: '15.000000', balance_micros: 15_000_000 })
    } finally {
      await client.close()
    }
  })

  test('chat: with a manage+chat key directly; with a session it needs api_key and says so', async () => {
    const key = await gateway.createKey({ name: 'mcp', scopes: ['chat', 'manage'] })
    const withKey = await connect(key.raw)
    try {
      const answer = (await withKey.callTool({ name: 'chat', arguments: { model: 'echo', prompt: 'hello from mcp' } })) as ToolCall
      expect(answer.isError).toBeFalsy()
      expect(answer.structuredContent).toMatchObject({ model: 'switchyard/echo' })
      expect(String(answer.structuredContent?.reply)).toContain('hello from mcp')
    } finally {
      await withKey.close()
    }
    const withSession = await connect(sessionToken)
    try {
      const refused = (await withSession.callTool({ name: 'chat', arguments: { model: 'echo', prompt: 'x' } })) as ToolCall
      expect(refused.isError).toBe(true)
      expect(textOf(refused)).toContain('HTTP 401')
      const chatKey = await gateway.createKey({ name: 'mcp-chat', scopes: ['chat'] })
      const passed = (await withSession.callTool({
        name: 'chat',
        arguments: { model: 'echo', prompt: 'via api_key', api_key: chatKey.raw },
      })) as ToolCall
      expect(passed.isError).toBeFalsy()
      expect(String(passed.structuredContent?.reply)).toContain('via api_key')
    } finally {
      await withSession.close()
    }
  })

  test('bad arguments and unknown tools are clear errors', async () => {
    const client = await connect(sessionToken)
    try {
      const bad = (await client.callTool({ name: 'usage', arguments: { days: 9999 } })) as ToolCall
      expect(bad.isError).toBe(true)
      expect(textOf(bad)).toContain('days')
      const revoke = (await client.callTool({ name: 'keys_revoke', arguments: {} })) as ToolCall
      expect(revoke.isError).toBe(true)
      expect(textOf(revoke)).toContain('Invalid arguments: id')
      await expect(client.callTool({ name: 'no_such_tool', arguments: {} })).rejects.toThrow('Unknown tool')
      const topup = (await client.callTool({ name: 'topup', arguments: { amount_usd: -5 } })) as ToolCall
      expect(topup.isError).toBe(true)
      expect(textOf(topup)).toContain('Invalid arguments: amount_usd')
      // The gateway's own refusals come back as tool errors carrying its message and status.
      const foreign = (await client.callTool({ name: 'keys_revoke', arguments: { id: 'key_doesnotexist' } })) as ToolCall
      expect(foreign.isError).toBe(true)
      expect(textOf(foreign)).toContain('HTTP 404')
    } finally {
      await client.close()
    }
  })

  test('a missing, wrong or revoked token, or a key without manage, is refused before MCP starts', async () => {
    await expect(connect('sy-session-wrong')).rejects.toThrow()
    await expect(connect('sk-sy-wrong')).rejects.toThrow()
    const revokedToken = await loginViaDeviceFlow(gateway.url, user, advance)
    await fetch(`${gateway.url}/api/v1/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${revokedToken}` } })
    await expect(connect(revokedToken)).rejects.toThrow()
    const noBearer = await fetch(`${gateway.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    })
    expect(noBearer.status).toBe(401)
    expect(noBearer.headers.get('www-authenticate')).toBe(
      `Bearer resource_metadata="${gateway.url}/.well-known/oauth-protected-resource/mcp", scope="manage"`,
    )
    const metadata = (await (await fetch(`${gateway.url}/.well-known/oauth-protected-resource/mcp`)).json()) as Record<string, unknown>
    expect(metadata).toMatchObject({ resource: `${gateway.url}/mcp`, authorization_servers: [gateway.url], scopes_supported: ['manage'] })
    const chatOnly = await gateway.createKey({ name: 'chat-only', scopes: ['chat'] })
    const forbidden = await fetch(`${gateway.url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${chatOnly.raw}`, 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    })
    expect(forbidden.status).toBe(403)
  })

  test('a foreign Origin is 403; GET and DELETE are 405', async () => {
    const crossSite = await fetch(`${gateway.url}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sessionToken}`, origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    })
    expect(crossSite.status).toBe(403)
    expect((await fetch(`${gateway.url}/mcp`)).status).toBe(405)
    expect((await fetch(`${gateway.url}/mcp`, { method: 'DELETE' })).status).toBe(405)
  })
})

describe('MCP 2026-07-28 (session-less: _meta and mirrored headers on every request)', () => {
  const modern = async (method: string, params: Record<string, unknown> = {}, headers: Record<string, string> = {}) => {
    const response = await fetch(`${gateway.url}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${sessionToken}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
        'mcp-protocol-version': '2026-07-28',
        'mcp-method': method,
        ...headers,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 7,
        method,
        params: {
          ...params,
          _meta: { 'io.modelcontextprotocol/protocolVersion': '2026-07-28', 'io.modelcontextprotocol/clientCapabilities': {} },
        },
      }),
    })
    return {
      status: response.status,
      body: (await response.json()) as { result?: Record<string, unknown>; error?: { code: number } },
      headers: response.headers,
    }
  }

  test('server/discover, tools/list and tools/call answer without initialize or a session id', async () => {
    const discover = await modern('server/discover')
    expect(discover.status).toBe(200)
    expect(discover.body.result?.supportedVersions).toContain('2026-07-28')
    expect(discover.body.result?.supportedVersions).toContain('2025-03-26')
    expect(discover.headers.get('mcp-session-id')).toBeNull()
    const list = await modern('tools/list')
    expect(list.body.result?.tools).toHaveLength(9)
    const call = await modern('tools/call', { name: 'whoami', arguments: {} }, { 'mcp-name': 'whoami' })
    expect(call.body.result).toMatchObject({ resultType: 'complete', structuredContent: { id: user.id, email: user.email } })
  })

  test('mismatched headers, unknown methods and unknown versions are refused with the spec codes', async () => {
    expect((await modern('tools/list', {}, { 'mcp-method': 'tools/call' })).body.error?.code).toBe(-32020)
    expect((await modern('tools/call', { name: 'whoami' }, { 'mcp-name': 'balance' })).body.error?.code).toBe(-32020)
    const unknownMethod = await modern('resources/list')
    expect(unknownMethod.status).toBe(404)
    expect(unknownMethod.body.error?.code).toBe(-32601)
    const unknownVersion = await modern('tools/list', {}, { 'mcp-protocol-version': '2099-01-01' })
    expect(unknownVersion.status).toBe(400)
    expect(unknownVersion.body.error?.code).toBe(-32022)
  })
})
