import { GatewayError, isGatewayError } from '../../errors/gateway-error.ts'
import type { SpendGate, SpendHold } from '../../pipeline/pipeline-types.ts'
import type { ApiKeyRecord } from '../../store/store.ts'
import { assertModelsAllowed } from '../allowed-models.ts'
import { type CountTokens, countChatPromptTokens, countEmbeddingsInputTokens } from './count-prompt-tokens.ts'
import type { SpendLedger } from './spend-ledger.ts'
import { worstCaseCostMicros } from './worst-case-cost.ts'

const nothingHeld: SpendHold = { settle() {}, release() {} }

/**
 * The pipeline's money admission: the key's allowed models, then the worst case over the
 * candidates (fallback may reach any of them), held against the owner's balance and the key's
 * limits. Requests without a key (none today) hold nothing.
 */
export function createSpendGate(options: {
  ledger: SpendLedger
  countTokens: CountTokens
  unpricedCeilingMicros: number | undefined
  now: () => number
}): SpendGate {
  const { ledger, unpricedCeilingMicros, countTokens } = options
  // A database that cannot be reached while loading a balance (or, in shared mode, holding) is a
  // 503 the client may retry, not a 500.
  const reserve = (requestId: string, apiKey: ApiKeyRecord, amountMicros: number) =>
    ledger.reserve({ requestId, apiKey, amountMicros, now: options.now() }).catch((error: unknown) => {
      if (isGatewayError(error)) throw error
      throw new GatewayError('service_unavailable', 'The account store is unreachable; try again shortly.', { cause: error })
    })
  return {
    async reserveChat(request, candidates, context) {
      const { apiKey } = context
      if (apiKey == null) return nothingHeld
      assertModelsAllowed(apiKey, candidates)
      const inputTokens = countChatPromptTokens(request, countTokens)
      const requestedMaxOutputTokens = request.max_completion_tokens ?? request.max_tokens
      let amountMicros = 0
      for (const model of candidates) {
        const cost = worstCaseCostMicros({ model, inputTokens, requestedMaxOutputTokens, choices: request.n ?? 1, unpricedCeilingMicros })
        if (cost > amountMicros) amountMicros = cost
      }
      return reserve(context.requestId, apiKey, amountMicros)
    },
    async reserveEmbeddings(request, model, context) {
      const { apiKey } = context
      if (apiKey == null) return nothingHeld
      assertModelsAllowed(apiKey, [model])
      const amountMicros = worstCaseCostMicros({
        model,
        inputTokens: countEmbeddingsInputTokens(request, countTokens),
        requestedMaxOutputTokens: 0,
        choices: 1,
        unpricedCeilingMicros,
      })
      return reserve(context.requestId, apiKey, amountMicros)
    },
  }
}
