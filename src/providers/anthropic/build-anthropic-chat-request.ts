import type { ChatRequest } from '../../protocol/openai-chat-types.ts'
import type { DeploymentTarget, UpstreamRequest } from '../provider-adapter.ts'
import { convertToAnthropicRequest } from './convert-to-anthropic-request.ts'

export const anthropicVersion = '2023-06-01'

/** The hub request → a ready-to-send `POST {baseUrl}/v1/messages`. */
export function buildAnthropicChatRequest(request: ChatRequest, target: DeploymentTarget): UpstreamRequest {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'anthropic-version': anthropicVersion,
  }
  if (target.apiKey != null) headers['x-api-key'] = target.apiKey
  return {
    url: buildMessagesUrl(target),
    method: 'POST',
    // Configured headers come last so a deployment can add `anthropic-beta` or pin another version.
    headers: { ...headers, ...target.headers },
    body: JSON.stringify(convertToAnthropicRequest(request, target.upstreamModel)),
  }
}

/**
 * Base URLs are configured without `/v1` (the Anthropic SDK convention), but a trailing slash or
 * a copied `…/v1` is tolerated so neither ends up doubled.
 */
function buildMessagesUrl(target: DeploymentTarget): string {
  let base = target.baseUrl.replace(/\/+$/, '')
  if (base.endsWith('/v1')) base = base.slice(0, -'/v1'.length)
  const query = target.query?.replace(/^\?/, '') ?? ''
  return `${base}/v1/messages${query === '' ? '' : `?${query}`}`
}
