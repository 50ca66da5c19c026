import { GatewayError } from '../../errors/gateway-error.ts'
import type { ContentPart } from '../../protocol/openai-chat-types.ts'
import type { GeminiPart } from './gemini-request-types.ts'

const mimeTypeByExtension: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  webp: 'image/webp',
  gif: 'image/gif',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
}

/**
 * Converts one OpenAI content part to a Gemini part. Returns undefined for an empty text part,
 * because Gemini rejects the whole request when a part has an empty `text`.
 * `param` names the part in error messages (`messages[2].content[1]`).
 */
export function convertToGeminiPart(part: ContentPart, param: string): GeminiPart | undefined {
  // The hub type admits unknown part shapes, so fields are read defensively rather than narrowed.
  const fields: Record<string, unknown> = part
  if (part.type === 'text') {
    const text = typeof fields.text === 'string' ? fields.text : ''
    return text === '' ? undefined : { text }
  }
  if (part.type === 'image_url') {
    const url = readString(fields.image_url, 'url')
    if (url == null) throw invalidPart(param, 'an image_url part needs image_url.url')
    return convertUrlToPart(url, param)
  }
  if (part.type === 'input_audio') {
    const data = readString(fields.input_audio, 'data')
    const format = readString(fields.input_audio, 'format') ?? 'wav'
    if (data == null) throw invalidPart(param, 'an input_audio part needs input_audio.data')
    return { inlineData: { mimeType: `audio/${format}`, data } }
  }
  if (part.type === 'file') {
    // OpenAI sends inline files as a data URI in `file.file_data`; uploaded `file_id`s live in
    // OpenAI's storage, which Gemini cannot reach.
    const fileData = readString(fields.file, 'file_data')
    if (fileData == null) throw invalidPart(param, 'only inline files (file.file_data) can be sent to Gemini')
    return convertUrlToPart(fileData, param)
  }
  throw invalidPart(param, `content part type '${part.type}' is not supported by Gemini`)
}

function convertUrlToPart(url: string, param: string): GeminiPart {
  if (url.startsWith('data:')) return { inlineData: parseDataUri(url, param) }
  if (/^https?:\/\//i.test(url)) {
    // Gemini fetches the URL itself, so the gateway never downloads client-chosen URLs (no SSRF).
    return { fileData: { mimeType: guessMimeType(url), fileUri: url } }
  }
  throw invalidPart(param, 'a URL must be a data: URI or an http(s) URL')
}

function parseDataUri(uri: string, param: string): { mimeType: string; data: string } {
  // data:[<media type>][;param=value]*;base64,<data>
  const match = /^data:([^;,]*)((?:;[^;,]*)*),(.*)$/s.exec(uri)
  if (match == null || !(match[2] ?? '').split(';').includes('base64')) {
    throw invalidPart(param, 'a data: URI must be base64-encoded (data:<type>;base64,...)')
  }
  const mimeType = match[1] === '' || match[1] == null ? 'application/octet-stream' : match[1]
  return { mimeType, data: match[3] ?? '' }
}

function guessMimeType(url: string): string {
  const path = url.split(/[?#]/)[0] ?? ''
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase()
  // OpenAI's image_url carries no media type; JPEG is the commonest image on the web.
  return (extension != null ? mimeTypeByExtension[extension] : undefined) ?? 'image/jpeg'
}

function readString(container: unknown, key: string): string | undefined {
  if (container == null || typeof container !== 'object') return undefined
  const value: unknown = (container as Record<string, unknown>)[key]
  return typeof value === 'string' ? value : undefined
}

function invalidPart(param: string, message: string): GatewayError {
  return new GatewayError('invalid_request', `${param}: ${message}`, { param })
}
