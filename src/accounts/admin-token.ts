import type { Store } from '../store/store.ts'
import { digestSecret, randomBase62 } from './api-key-secret.ts'

const settingName = 'admin_token_digest'

/**
 * Makes sure an admin token exists. A configured token (SWITCHYARD_ADMIN_TOKEN) always wins; without
 * one, the first start generates a token, stores only its digest and returns the raw value so the
 * caller can print it once. Returns the digest to check requests against.
 */
export async function ensureAdminToken(options: {
  store: Store
  configuredToken: string | undefined
}): Promise<{ digest: string; generatedToken: string | undefined }> {
  if (options.configuredToken != null) return { digest: digestSecret(options.configuredToken), generatedToken: undefined }
  const existing = await options.store.settings.get(settingName)
  if (existing != null) return { digest: existing, generatedToken: undefined }
  const generatedToken = `sy-admin-${randomBase62(40)}`
  const digest = digestSecret(generatedToken)
  await options.store.settings.set(settingName, digest)
  return { digest, generatedToken }
}
