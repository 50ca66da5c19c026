import { microsToUsd } from '../catalog/compute-cost.ts'
import { GatewayError } from '../errors/gateway-error.ts'
import type { EmbeddingsRequest, EmbeddingsResponse } from '../protocol/openai-chat-types.ts'
import { buildLogRow } from './build-log-row.ts'
import type { PipelineDeps, PipelineOutcome, RequestContext } from './pipeline-types.ts'
import { resolveCandidates } from './resolve-candidates.ts'
import { sendUpstream } from './send-upstream.ts'
import { meterUsage } from './usage-report.ts'

/** Embeddings: one model, one call; the provider's usage is metered and logged like chat. */
export async function handleEmbeddings(request: EmbeddingsRequest, context: RequestContext, deps: PipelineDeps): Promise<PipelineOutcome> {
  const [model] = resolveCandidates(request, deps.catalog, 'embeddings')
  const provider = model == null ? undefined : deps.providers.get(model.providerId)
  if (model == null || provider == null)
    throw new GatewayError('model_not_found', `The model \`${request.model}\` is not available.`, { param: 'model' })
  const { adapter } = provider
  if (adapter.buildEmbeddingsRequest == null || adapter.parseEmbeddingsResponse == null) {
    throw new GatewayError('invalid_request', `Provider ${provider.config.id} does not serve embeddings through this gateway.`, {
      param: 'model',
    })
  }
  const target = provider.targetFor(model.upstreamModel)
  const hold = deps.spend == null ? undefined : await deps.spend.reserveEmbeddings(request, model, context)
  let settled = false
  const call = await sendUpstream({
    request: adapter.buildEmbeddingsRequest(request, target),
    fetchUpstream: deps.fetchUpstream,
    clientSignal: context.signal,
    timeoutMs: deps.upstreamTimeoutMs,
    providerId: provider.config.id,
  }).catch((error: unknown) => {
    hold?.release()
    throw error
  })
  try {
    const bodyText = await call.response.text()
    if (!call.response.ok) throw adapter.parseError({ status: call.response.status, headers: call.response.headers, bodyText }, target)
    let body: unknown
    try {
      body = JSON.parse(bodyText)
    } catch {
      throw new GatewayError('upstream_error', `Provider ${provider.config.id} returned a body that is not JSON.`)
    }
    const { response, usage } = adapter.parseEmbeddingsResponse(body, model.id)
    const metered = meterUsage(usage, model)
    context.onFinish?.finish(usage.inputTokens + usage.outputTokens)
    hold?.settle(metered.costMicros, model.id)
    settled = true
    deps.requestLog.record(
      buildLogRow({
        context,
        finishedAt: deps.now(),
        model: model.id,
        provider: model.providerId,
        status: 200,
        errorCode: null,
        stream: false,
        usage,
        costMicros: metered.costMicros,
        ttftMs: null,
      }),
    )
    const costUsd = microsToUsd(metered.costMicros)
    const data = request.encoding_format === 'base64' ? response.data.map(encodeEmbeddingAsBase64) : response.data
    return {
      kind: 'json',
      body: { ...response, data, usage: { ...response.usage, cost: costUsd } },
      headers: {
        'x-switchyard-model': model.id,
        'x-switchyard-provider': model.providerId,
        'x-switchyard-route-reason': 'requested',
        'x-switchyard-fallbacks': '0',
        'x-switchyard-cost-usd': costUsd.toFixed(6),
      },
    }
  } finally {
    if (!settled) hold?.release()
    call.abort()
  }
}

/**
 * The official SDKs ask for base64 by default and decode it as little-endian float32; providers
 * that only speak floats (Gemini, echo) are converted here so every client gets what it asked for.
 */
function encodeEmbeddingAsBase64(item: EmbeddingsResponse['data'][number]): EmbeddingsResponse['data'][number] {
  if (typeof item.embedding === 'string') return item
  const floats = Float32Array.from(item.embedding)
  return { ...item, embedding: Buffer.from(floats.buffer, floats.byteOffset, floats.byteLength).toString('base64') }
}
