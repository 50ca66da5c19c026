import { GatewayError } from '../../errors/gateway-error.ts'
import type { ContentPart } from '../../protocol/openai-chat-types.ts'
import type { AnthropicImageBlock, AnthropicTextBlock } from './anthropic-request-types.ts'
import { convertToAnthropicImage } from './convert-to-anthropic-image.ts'

export type ContentOptions = { allowImages: boolean }

/**
 * OpenAI message content (a string or parts) → Anthropic text and image blocks. Empty text is
 * dropped because Anthropic rejects empty text blocks. A part type we cannot express (audio,
 * files) is refused with a 400 rather than silently dropped, so the caller learns it was lost.
 */
export function convertToAnthropicContent(
  content: string | ContentPart[] | null | undefined,
  param: string,
  options: ContentOptions = { allowImages: true },
): Array<AnthropicTextBlock | AnthropicImageBlock> {
  if (content == null) return []
  if (typeof content === 'string') return content === '' ? [] : [{ type: 'text', text: content }]
  const blocks: Array<AnthropicTextBlock | AnthropicImageBlock> = []
  content.forEach((part, index) => {
    const partParam = `${param}[${index}]`
    const text = readPartText(part)
    if (text != null) {
      if (text !== '') blocks.push({ type: 'text', text })
      return
    }
    const imageUrl = readImageUrl(part)
    if (imageUrl != null && options.allowImages) {
      blocks.push(convertToAnthropicImage(imageUrl, partParam))
      return
    }
    throw new GatewayError('invalid_request', `Content part type '${part.type}' is not supported here by Anthropic models.`, {
      param: partParam,
    })
  })
  return blocks
}

/** Text of a `text` part, or of a `refusal` part (an assistant's earlier refusal is plain text). */
function readPartText(part: ContentPart): string | undefined {
  if (part.type === 'text' && typeof part.text === 'string') return part.text
  if (part.type === 'refusal' && typeof part.refusal === 'string') return part.refusal
  return undefined
}

function readImageUrl(part: ContentPart): string | undefined {
  if (part.type !== 'image_url') return undefined
  const imageUrl = part.image_url
  if (typeof imageUrl === 'string') return imageUrl
  if (imageUrl != null && typeof imageUrl === 'object' && !Array.isArray(imageUrl)) {
    const url = imageUrl.url
    if (typeof url === 'string') return url
  }
  return undefined
}
