import type { DeploymentTarget } from '../provider-adapter.ts'

/** Headers for every Gemini call: JSON, the key in `x-goog-api-key`, then the target's own. */
export function buildGeminiHeaders(target: DeploymentTarget): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' }
  if (target.apiKey != null) headers['x-goog-api-key'] = target.apiKey
  return { ...headers, ...target.headers }
}
