import type { RouteSpec } from '../openapi/route-spec.ts'

// /llms.txt and /llms-full.txt (llmstxt.org): what an AI agent needs to wire a project to this gateway.

const authNames = { none: 'none', api_key: 'API key', admin_token: 'admin token', user: 'session token or `manage` key' } as const

export function renderLlmsText(baseUrl: string): string {
  return `# Switchyard

> Self-hostable LLM gateway at ${baseUrl}: one OpenAI-compatible endpoint (${baseUrl}/v1) in front of many providers, with a priced model catalogue, API keys, balances and usage. Every CLI command has --json output and documented exit codes, so an agent can set a project up with one human approval.

## Agent sequence
1. \`npx switchyard login\` — device-flow login: print the URL and code to your human, who approves in a browser.
2. \`npx switchyard keys create --name <project> --json\` — the \`raw\` key is shown once (also cached in ~/.switchyard/last_key.txt).
3. \`npx switchyard env >> .env\` — appends OPENAI_API_KEY= and OPENAI_BASE_URL=.
4. \`npx switchyard test --json\` — one tiny completion; exit 1 with HTTP 402 means the balance is empty.
5. \`npx switchyard usage --days 7 --json\`, \`npx switchyard balance --json\`.
6. \`npx switchyard topup --amount 5 --json\` — returns a checkout_url: give it to your human.

## Hard rules
- Never auto-pay: hand \`checkout_url\` to the human. Do not open it on their behalf or fill in payment details.
- A raw key is shown once: write it into the project's .env immediately; never paste keys into chat, logs or commits.
- Exit codes: 0 ok; 1 user error or 4xx (402 = top up, 401 = log in again); 2 network (retry with backoff); 3 server error or login failure (retry once, then tell the human).
- Non-interactive (CI, sub-agents): set SWITCHYARD_API_KEY=sk-sy-... and skip login. SWITCHYARD_API_URL=${baseUrl}.

## Links
- [Full agent guide](${baseUrl}/llms-full.txt): endpoints, JSON shapes, errors
- [OpenAPI 3.1](${baseUrl}/openapi.json) and [API reference](${baseUrl}/docs)
- [Login discovery](${baseUrl}/api/v1/auth/discovery): issuer, client_id and RFC 8628 endpoints
- MCP server (Streamable HTTP): ${baseUrl}/mcp with \`Authorization: Bearer <session token or manage key>\`
`
}

export function renderLlmsFullText(baseUrl: string, routes: readonly RouteSpec[]): string {
  const endpoints = routes
    .map((route) => `- \`${route.method.toUpperCase()} ${route.path}\` — ${route.summary} (auth: ${authNames[route.auth]})`)
    .join('\n')
  return `${renderLlmsText(baseUrl)}
## Authentication
- Data plane (/v1): \`Authorization: Bearer sk-sy-...\` or \`x-api-key: sk-sy-...\`. Keys carry scopes: chat, plan, embeddings, manage; a missing scope is 403.
- Management API (/api/v1): a session token \`sy-session-...\` from device-flow login, or a key with the \`manage\` scope.
- Admin API (/api/v1/admin): the operator's admin token.

## Device-flow login without the CLI (RFC 8628)
1. \`GET ${baseUrl}/api/v1/auth/discovery\` → {issuer, client_id, device_authorization_endpoint, token_endpoint, scopes, resource}.
2. \`POST device_authorization_endpoint\` form-encoded \`client_id=<client_id>&client_name=<your agent>\` → {device_code, user_code, verification_uri, verification_uri_complete, expires_in, interval}.
3. Show the human \`verification_uri\` and \`user_code\` (XXXX-XXXX). They sign in and approve.
4. Poll \`POST token_endpoint\` form-encoded \`grant_type=urn:ietf:params:oauth:grant-type:device_code&device_code=...&client_id=...\` every \`interval\` seconds.
   \`authorization_pending\`: keep polling. \`slow_down\`: add 5 s to the interval. \`access_denied\`, \`expired_token\`: stop and tell the human.
5. The answer's \`access_token\` is the session token; revoke it with \`POST ${baseUrl}/api/v1/auth/logout\`.

## CLI JSON shapes (--json or SWITCHYARD_JSON=1)
- \`login\` → {"logged_in":true,"api_url","user_id","session_id","credentials_file"}
- \`whoami\` → {"id","email","balance_usd","balance_micros","created_at","status","auth"} (GET /api/v1/me)
- \`keys create\` → {"id","name","key_prefix","raw",...}; \`keys list\` → [{"id","name","key_prefix",...}]; \`keys revoke\` → the key
- \`balance\` → {"balance_usd","currency","balance_micros","reserved_micros"}; \`usage --days N\` → {"range_days","total_requests","total_tokens_in","total_tokens_out","total_cost_micros","total_cost_usd","per_day","per_model","per_key"}
- \`topup --amount USD\` → {"checkout_url","session_id","amount_usd","expires_at"}
- \`env\` → {"OPENAI_API_KEY","OPENAI_BASE_URL"}; \`test\` → {"ok":true,"model","reply","request_id","cost_usd"} (402 → exit 1: top up)
- \`models\` → [{"id","pricing":{"input","output",...},"context_length",...}]
- any failure → {"error":{"message","exit_code","details"}}

## Errors
OpenAI's envelope {"error":{"message","type","code","param"}}: 400 invalid request, 401 bad or revoked key, 402 insufficient_quota, 403 scope, 404 unknown model, 413 body too large, 429 rate limit (Retry-After), 502/503/504 upstream failures.

## Endpoints
${endpoints}
`
}
