import type { CredentialVerifier } from '../../src/auth/auth-seams.ts'

// A STAND-IN for accounts' real CredentialVerifier (seam 4), used only by the agent branch's tests:
// one fixed user. At merge the lead passes accounts' verifier to startGateway instead.
export const fixedTestUser = { userId: 'user_fixed_test', email: 'agent@example.com', password: 'correct horse battery staple' }

export const fixedUserCredentialVerifier: CredentialVerifier = async (email, password) =>
  email.toLowerCase() === fixedTestUser.email && password === fixedTestUser.password
    ? { userId: fixedTestUser.userId, email: fixedTestUser.email }
    : undefined
