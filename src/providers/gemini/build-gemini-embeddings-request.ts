import { GatewayError } from '../../errors/gateway-error.ts'
import type { EmbeddingsRequest } from '../../protocol/openai-chat-types.ts'
import type { DeploymentTarget, UpstreamRequest } from '../provider-adapter.ts'
import { buildGeminiHeaders } from './build-gemini-headers.ts'
import { buildGeminiUrl } from './build-gemini-url.ts'

/** Builds a `batchEmbedContents` call: one embed request per input string, in input order. */
export function buildGeminiEmbeddingsRequest(request: EmbeddingsRequest, target: DeploymentTarget): UpstreamRequest {
  const model = `models/${target.upstreamModel.replace(/^models\//, '')}`
  const requests = readInputTexts(request.input).map((text) => ({
    model,
    content: { parts: [{ text }] },
    ...(request.dimensions != null ? { outputDimensionality: request.dimensions } : {}),
  }))
  return {
    url: buildGeminiUrl(target, 'batchEmbedContents'),
    method: 'POST',
    headers: buildGeminiHeaders(target),
    body: JSON.stringify({ requests }),
  }
}

function readInputTexts(input: EmbeddingsRequest['input']): string[] {
  if (typeof input === 'string') return [input]
  if (input.length === 0) {
    throw new GatewayError('invalid_request', 'input must not be empty', { param: 'input' })
  }
  const texts = input.filter((entry): entry is string => typeof entry === 'string')
  // Token arrays are tokenizer ids of OpenAI's vocabulary; Gemini only embeds text.
  if (texts.length !== input.length) {
    throw new GatewayError('invalid_request', 'Gemini embeddings accept text input only, not token arrays', {
      param: 'input',
    })
  }
  return texts
}
