import type { SpendGate, SpendHold } from '../../pipeline/pipeline-types.ts'
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
      return ledger.reserve({ requestId: context.requestId, apiKey, amountMicros, now: options.now() })
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
      return ledger.reserve({ requestId: context.requestId, apiKey, amountMicros, now: options.now() })
    },
  }
}
