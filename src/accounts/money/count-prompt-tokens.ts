import type { ChatRequest, EmbeddingsRequest } from '../../protocol/openai-chat-types.ts'

// OpenAI's chat format adds a few tokens per message (role, separators) and a few to prime the
// reply; 4 and 3 are the figures OpenAI's cookbook gives. Other providers' tokenizers differ a
// little: settlement never charges more than the hold, so an undercount costs us, not the user.
const tokensPerMessage = 4
const tokensToPrimeReply = 3
// An image's token cost depends on its size, which we do not download to find out; this is the
// price of a high-detail 2048×2048 image at OpenAI's tile rate, a ceiling for common inputs.
const tokensPerImage = 1_105

/** Counts the tokens of a text; gpt-tokenizer's cl100k encoding, loaded once at start (loadTokenCounter). */
export type CountTokens = (text: string) => number

/**
 * cl100k (gpt-4, gpt-3.5) rather than o200k (gpt-4o and later): its vocabulary is half the size,
 * so it usually splits text into as many or more tokens (the safe side for a hold) and its tables cost
 * ~46 MB of memory instead of ~85 MB. They take a moment to load, so they are imported only when
 * a hold bounded by the prompt's byte count does not fit (create-spend-gate.ts), not at start.
 */
export async function loadTokenCounter(): Promise<CountTokens> {
  const { countTokens } = await import('gpt-tokenizer/encoding/cl100k_base')
  return (text) => countTokens(text)
}

/**
 * An upper bound of any byte-level BPE token count (cl100k, o200k, Llama 3...): every token
 * stands for at least one byte of UTF-8, so a text never has more tokens than bytes.
 */
export const utf8ByteLength: CountTokens = (text) => Buffer.byteLength(text, 'utf8')

/** Input tokens of a chat request, counted with a real BPE tokenizer (cl100k) or bounded by utf8ByteLength. */
export function countChatPromptTokens(request: ChatRequest, countTokens: CountTokens): number {
  let total = tokensToPrimeReply
  for (const message of request.messages) {
    total += tokensPerMessage + countContent(message.content, countTokens)
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) total += countTokens(call.function.name) + countTokens(call.function.arguments)
      if (message.reasoning_content != null) total += countTokens(message.reasoning_content)
    }
  }
  if (request.tools != null && request.tools.length > 0) total += countTokens(JSON.stringify(request.tools))
  if (request.response_format != null) total += countTokens(JSON.stringify(request.response_format))
  return total
}

/** Input tokens of an embeddings request; token arrays are counted as they are. */
export function countEmbeddingsInputTokens(request: EmbeddingsRequest, countTokens: CountTokens): number {
  const { input } = request
  if (typeof input === 'string') return countTokens(input)
  let total = 0
  for (const item of input) {
    if (typeof item === 'string') total += countTokens(item)
    else if (typeof item === 'number') total += 1
    else total += item.length
  }
  return total
}

function countContent(content: unknown, countTokens: CountTokens): number {
  if (content == null) return 0
  if (typeof content === 'string') return countTokens(content)
  if (!Array.isArray(content)) return countTokens(JSON.stringify(content))
  let total = 0
  for (const part of content as Array<Record<string, unknown>>) {
    if (part.type === 'text' && typeof part.text === 'string') total += countTokens(part.text)
    else if (part.type === 'image_url') total += tokensPerImage
    else total += countTokens(JSON.stringify(part))
  }
  return total
}
