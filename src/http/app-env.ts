import type { ApiKeyRecord } from '../store/store.ts'

/** Per-request values the middleware sets for handlers. */
export type AppEnv = {
  Variables: {
    requestId: string
    startedAt: number
    apiKey: ApiKeyRecord | undefined
    /** The user a management-API call acts for (a `manage` key's owner or a session's user). */
    principal: { userId: string; via: 'key' | 'session'; credentialId: string } | undefined
  }
}
