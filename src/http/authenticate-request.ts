import type { ApiKeyAuthenticator } from '../accounts/api-key-authenticator.ts'
import { GatewayError } from '../errors/gateway-error.ts'
import type { ApiKeyRecord, Scope } from '../store/store.ts'

/**
 * `Authorization: Bearer sk-sy-...` or `x-api-key: sk-sy-...`, resolved from the in-memory key
 * cache, then the scope the endpoint needs. With no `scope`, any valid key will do (the model list).
 * A cached key is answered at once, without a promise; only a key not seen yet waits for the store.
 */
export function authenticateRequest(
  authenticator: ApiKeyAuthenticator,
  headers: Headers,
  scope?: Scope,
): ApiKeyRecord | Promise<ApiKeyRecord> {
  const raw = readPresentedKey(headers.get('authorization') ?? undefined, headers.get('x-api-key') ?? undefined)
  if (raw == null) {
    throw new GatewayError('invalid_api_key', 'No API key provided. Send `Authorization: Bearer sk-sy-...` or `x-api-key: sk-sy-...`.')
  }
  const cached = authenticator.authenticateCached(raw)
  if (cached != null) return withScope(cached, scope)
  return authenticator.authenticate(raw).then((record) => withScope(record, scope))
}

function withScope(record: ApiKeyRecord, scope: Scope | undefined): ApiKeyRecord {
  if (scope != null && !record.scopes.includes(scope)) {
    throw new GatewayError('permission_denied', `This API key lacks the \`${scope}\` scope needed for this endpoint.`)
  }
  return record
}

export function readPresentedKey(authorization: string | undefined, apiKeyHeader: string | undefined): string | undefined {
  if (authorization != null) {
    // The usual form, `Bearer <key>` with nothing around it, is sliced without a regular expression.
    if (authorization.startsWith('Bearer ') && authorization.length > 7 && authorization.trim() === authorization) {
      const key = authorization.slice(7)
      if (key.trim() === key) return key
    }
    const match = /^Bearer\s+(.+)$/i.exec(authorization.trim())
    if (match?.[1] != null) return match[1].trim()
  }
  const key = apiKeyHeader?.trim()
  return key == null || key === '' ? undefined : key
}
