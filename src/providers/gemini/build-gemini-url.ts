import type { DeploymentTarget } from '../provider-adapter.ts'

/**
 * Builds a Gemini REST URL for one model method (`generateContent`,
 * `streamGenerateContent?alt=sse`, `batchEmbedContents`). The base URL may be given with or without
 * `/v1beta` (GEMINI_BASE_URL is written both ways in the wild). The API key never goes in the URL,
 * where it would end up in access logs; it travels in `x-goog-api-key`.
 */
export function buildGeminiUrl(target: DeploymentTarget, method: string): string {
  const base = target.baseUrl.replace(/\/+$/, '').replace(/\/v1beta$/, '')
  // A configured `models/gemini-x` would otherwise become `models/models/gemini-x`.
  const model = target.upstreamModel.replace(/^models\//, '')
  const url = `${base}/v1beta/models/${model}:${method}`
  if (target.query == null || target.query === '') return url
  const query = target.query.replace(/^\?/, '')
  return `${url}${url.includes('?') ? '&' : '?'}${query}`
}
