import type { AdmissionTicket } from '../limits/admission-ticket.ts'
import type { ApiKeyRecord } from '../store/store.ts'

/** Per-request values the middleware sets for handlers. */
export type AppEnv = {
  Variables: {
    requestId: string
    startedAt: number
    apiKey: ApiKeyRecord | undefined
    /** Set by the rate-limit middleware; the pipeline finishes it when the response ends. */
    rateLimitTicket: AdmissionTicket | undefined
    /** The user a management-API call acts for (a `manage` key's owner or a session's user). */
    principal: { userId: string; via: 'key' | 'session'; credentialId: string } | undefined
  }
}
