import { GatewayError } from '../../errors/gateway-error.ts'
import type { AnthropicImageBlock } from './anthropic-request-types.ts'

/**
 * An OpenAI `image_url` → an Anthropic image block. `data:` URIs become a base64 source; http(s)
 * URLs are passed by reference (`{type:'url'}`) so Anthropic fetches them: the gateway never
 * fetches a client-supplied URL itself, which would be an SSRF surface.
 */
export function convertToAnthropicImage(url: string, param: string): AnthropicImageBlock {
  if (url.startsWith('data:')) return { type: 'image', source: parseBase64DataUri(url, param) }
  if (/^https?:\/\//i.test(url)) return { type: 'image', source: { type: 'url', url } }
  throw new GatewayError('invalid_request', 'Image URLs must be http(s) URLs or base64 data: URIs.', { param })
}

function parseBase64DataUri(uri: string, param: string): { type: 'base64'; media_type: string; data: string } {
  // Split on the first comma with indexOf rather than a regex: the payload can be megabytes long.
  const comma = uri.indexOf(',')
  const header = comma === -1 ? '' : uri.slice('data:'.length, comma)
  const attributes = header.split(';')
  const mediaType = attributes[0]?.trim().toLowerCase() ?? ''
  const isBase64 = attributes.slice(1).some((attribute) => attribute.trim().toLowerCase() === 'base64')
  if (comma === -1 || mediaType === '' || !isBase64) {
    throw new GatewayError('invalid_request', 'Image data URIs must look like data:<media type>;base64,<data>.', { param })
  }
  return { type: 'base64', media_type: mediaType, data: uri.slice(comma + 1) }
}
