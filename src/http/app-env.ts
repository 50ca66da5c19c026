import type { ApiKeyRecord } from '../store/store.ts'

/** Per-request values the middleware sets for handlers. */
export type AppEnv = {
  Variables: {
    requestId: string
    startedAt: number
    apiKey: ApiKeyRecord | undefined
  }
}
