// The two seams between the agent work and the accounts work (shared/briefs/seams.md, 3 and 4),
// declared here with exactly the agreed shapes so either side can be plugged in at merge.

/** Seam 3: accounts' management API accepts session tokens through this. */
export interface SessionAuthenticator {
  authenticate(token: string): Promise<{ userId: string; sessionId: string } | undefined>
}

/** Seam 4: accounts owns users; the device page signs them in through this. */
export type CredentialVerifier = (email: string, password: string) => Promise<{ userId: string; email: string } | undefined>
