import { GatewayError } from '../errors/gateway-error.ts'
import type { ApiKeyRecord, Scope, Store } from '../store/store.ts'
import type { ApiKeyAuthenticator } from './api-key-authenticator.ts'
import { generateApiKeySecret, newId } from './api-key-secret.ts'

export type ApiKeyView = {
  id: string
  name: string
  key_prefix: string
  scopes: readonly Scope[]
  created_at: string
  revoked_at: string | null
}

export type ApiKeyService = {
  /** Creates a key; the raw key is in the result and nowhere else, ever. */
  create(input: { name: string; scopes: readonly Scope[] }): Promise<ApiKeyView & { raw: string }>
  list(): Promise<ApiKeyView[]>
  revoke(id: string): Promise<ApiKeyView>
}

export function createApiKeyService(options: { store: Store; authenticator: ApiKeyAuthenticator; now?: () => number }): ApiKeyService {
  const now = options.now ?? Date.now
  return {
    async create(input) {
      const secret = generateApiKeySecret()
      const record: ApiKeyRecord = {
        id: newId('key'),
        name: input.name,
        keyPrefix: secret.keyPrefix,
        digest: secret.digest,
        scopes: [...new Set(input.scopes)],
        createdAt: now(),
        revokedAt: null,
      }
      await options.store.apiKeys.insert(record)
      options.authenticator.remember(record)
      return { ...viewApiKey(record), raw: secret.raw }
    },
    async list() {
      return (await options.store.apiKeys.list()).map(viewApiKey)
    },
    async revoke(id) {
      const record = await options.store.apiKeys.revoke(id, now())
      if (record == null) throw new GatewayError('not_found', `No API key with id \`${id}\`.`, { param: 'id' })
      options.authenticator.remember(record)
      return viewApiKey(record)
    },
  }
}

export function viewApiKey(record: ApiKeyRecord): ApiKeyView {
  return {
    id: record.id,
    name: record.name,
    key_prefix: record.keyPrefix,
    scopes: record.scopes,
    created_at: new Date(record.createdAt).toISOString(),
    revoked_at: record.revokedAt == null ? null : new Date(record.revokedAt).toISOString(),
  }
}
