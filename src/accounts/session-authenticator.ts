/**
 * Seam 3: session tokens (issued by device-flow login, another module) are checked through this
 * interface. The management API takes one as an optional dependency; without it, only keys with
 * the `manage` scope are accepted.
 */
export interface SessionAuthenticator {
  authenticate(token: string): Promise<{ userId: string; sessionId: string } | undefined>
}
