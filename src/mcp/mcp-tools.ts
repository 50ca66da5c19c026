import { z } from 'zod'
import type { GatewayApi } from './gateway-api.ts'

export class ToolError extends Error {}

export type McpTool = {
  name: string
  title: string
  description: string
  input: z.ZodObject
  run(args: Record<string, unknown>, api: GatewayApi): Promise<unknown>
}

/** Unwraps an API answer: the body on 2xx, otherwise a ToolError carrying the gateway's own message. */
async function expectOk(answer: Promise<{ status: number; body: unknown }>): Promise<unknown> {
  const { status, body } = await answer
  if (status >= 200 && status < 300) return body
  const message = (body as { error?: { message?: string } } | undefined)?.error?.message ?? (typeof body === 'string' ? body : 'no details')
  const hint =
    status === 402
      ? ' The balance is empty: call `topup` and give the URL to your human.'
      : status === 401
        ? ' The credentials are not valid for this call.'
        : status === 404 && message.startsWith('No route')
          ? ' This gateway does not serve that endpoint.'
          : ''
  throw new ToolError(`HTTP ${status}: ${message}${hint}`)
}

/** The MCP tools: each one is a call to the gateway's HTTP API (PRODUCT §5) with the caller's bearer. */
export const mcpTools: readonly McpTool[] = [
  {
    name: 'whoami',
    title: 'Who am I',
    description: 'The signed-in user: id, email, balance, and whether this connection uses a session or a key.',
    input: z.object({}),
    run: (_args, api) => expectOk(api.call('GET', '/api/v1/me')),
  },
  {
    name: 'balance',
    title: 'Balance',
    description: 'The account balance in USD.',
    input: z.object({}),
    run: (_args, api) => expectOk(api.call('GET', '/api/v1/balance')),
  },
  {
    name: 'usage',
    title: 'Usage',
    description: 'Requests, tokens and spend over the last N days (successful requests only).',
    input: z.object({ days: z.number().int().min(1).max(365).default(30).describe('how many days back, 1–365') }),
    run: (args, api) => expectOk(api.call('GET', `/api/v1/usage?days=${args.days}`)),
  },
  {
    name: 'models',
    title: 'Models',
    description: 'The models this gateway serves, with prices in USD per million tokens, context length and capabilities.',
    input: z.object({}),
    async run(_args, api) {
      const listed = (await expectOk(api.call('GET', '/api/v1/models'))) as { data?: unknown[] }
      return listed.data ?? listed
    },
  },
  {
    name: 'keys_create',
    title: 'Create API key',
    description: 'Create an API key. The raw key is in this answer only: write it to the project’s .env at once; never echo it into chat.',
    input: z.object({ name: z.string().min(1).max(100).describe('a name to recognise the key by, e.g. the project') }),
    run: (args, api) => expectOk(api.call('POST', '/api/v1/me/keys', { name: args.name })),
  },
  {
    name: 'keys_list',
    title: 'List API keys',
    description: 'Your API keys (never their raw values).',
    input: z.object({}),
    run: (_args, api) => expectOk(api.call('GET', '/api/v1/me/keys')),
  },
  {
    name: 'keys_revoke',
    title: 'Revoke API key',
    description: 'Revoke one of your API keys by id; calls with it get 401 at once.',
    input: z.object({ id: z.string().min(1).describe('the key id, key_...') }),
    run: (args, api) => expectOk(api.call('DELETE', `/api/v1/me/keys/${encodeURIComponent(String(args.id))}`)),
  },
  {
    name: 'topup',
    title: 'Top-up link',
    description:
      'Get a checkout URL to add credit. NEVER pay yourself and never open it for payment: give the URL to your human, who pays.',
    input: z.object({ amount_usd: z.number().positive().max(10_000).describe('amount in USD, e.g. 5') }),
    async run(args, api) {
      const topup = (await expectOk(api.call('POST', '/api/v1/topup', { amount_usd: args.amount_usd }))) as Record<string, unknown>
      return { ...topup, instructions: 'Give checkout_url to your human to pay. Agents must not pay.' }
    },
  },
  {
    name: 'chat',
    title: 'Chat completion',
    description:
      'One chat completion through the gateway (OpenAI Chat Completions). Uses this connection’s key, which needs the chat scope; a session connection passes api_key.',
    input: z.object({
      model: z.string().min(1).describe('e.g. openai/gpt-4o-mini, or router'),
      prompt: z.string().min(1).describe('the user message'),
      system: z.string().optional().describe('an optional system message'),
      max_tokens: z.number().int().min(1).max(100_000).optional(),
      api_key: z.string().startsWith('sk-sy-').optional().describe('an sk-sy- key of yours, when connected with a session token'),
    }),
    async run(args, api) {
      const messages = [...(args.system == null ? [] : [{ role: 'system', content: args.system }]), { role: 'user', content: args.prompt }]
      const body = { model: args.model, messages, ...(args.max_tokens == null ? {} : { max_tokens: args.max_tokens }) }
      const completion = (await expectOk(
        args.api_key == null
          ? api.call('POST', '/v1/chat/completions', body)
          : api.withBearer(String(args.api_key)).call('POST', '/v1/chat/completions', body),
      )) as { id: string; model: string; choices: Array<{ message: { content: string | null } }>; usage?: unknown }
      return {
        id: completion.id,
        model: completion.model,
        reply: completion.choices[0]?.message.content ?? '',
        usage: completion.usage ?? null,
      }
    },
  },
]
