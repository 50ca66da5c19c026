import { GatewayError, isGatewayError } from '../../errors/gateway-error.ts'
import type { SpendGate, SpendHold } from '../../pipeline/pipeline-types.ts'
import type { ApiKeyRecord } from '../../store/store.ts'
import { assertModelsAllowed } from '../allowed-models.ts'
import { type CountTokens, countChatPromptTokens, countEmbeddingsInputTokens, utf8ByteLength } from './count-prompt-tokens.ts'
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
  /** The exact counter (gpt-tokenizer), loaded the first time a byte-bound hold does not fit. */
  loadCountTokens: () => Promise<CountTokens>
  unpricedCeilingMicros: number | undefined
  now: () => number
}): SpendGate {
  const { ledger, unpricedCeilingMicros } = options
  let exactCounter: Promise<CountTokens> | undefined
  const countExactly = () => {
    exactCounter ??= options.loadCountTokens()
    return exactCounter
  }
  // A database that cannot be reached while loading a balance (or, in shared mode, holding) is a
  // 503 the client may retry, not a 500.
  const unreachable = (error: unknown): never => {
    if (isGatewayError(error)) throw error
    throw new GatewayError('service_unavailable', 'The account store is unreachable; try again shortly.', { cause: error })
  }
  const reserve = async (requestId: string, apiKey: ApiKeyRecord, amountMicros: number) => {
    try {
      return await ledger.reserve({ requestId, apiKey, amountMicros, now: options.now() })
    } catch (error) {
      return unreachable(error)
    }
  }
  /** After a refused byte-bound hold: the exact token count, and one more try if it is smaller. */
  async function reserveExactly(
    refused: unknown,
    requestId: string,
    apiKey: ApiKeyRecord,
    amountFor: (countTokens: CountTokens) => number,
    bound: number,
  ): Promise<SpendHold> {
    if (!isGatewayError(refused) || refused.code !== 'insufficient_quota') return unreachable(refused)
    const exact = amountFor(await countExactly())
    if (exact >= bound) throw refused
    return reserve(requestId, apiKey, exact)
  }
  /**
   * Holds the worst case computed with the prompt's UTF-8 byte count, which no byte-level BPE
   * token count exceeds (a token is at least one byte), so it is a true worst case without running
   * a tokenizer. Only when that amount does not fit is the prompt tokenized for the exact, smaller
   * hold (docs/money.md). A refused hold changes nothing, so asking twice is safe. When the ledger
   * holds at once (memory mode, user and key loaded), so does this: no promise on the hot path.
   */
  const reserveBounded = (
    requestId: string,
    apiKey: ApiKeyRecord,
    amountFor: (countTokens: CountTokens) => number,
  ): SpendHold | Promise<SpendHold> => {
    const bound = amountFor(utf8ByteLength)
    let held: SpendHold | Promise<SpendHold>
    try {
      held = ledger.reserve({ requestId, apiKey, amountMicros: bound, now: options.now() })
    } catch (error) {
      return reserveExactly(error, requestId, apiKey, amountFor, bound)
    }
    if (!(held instanceof Promise)) return held
    return held.catch((error: unknown) => reserveExactly(error, requestId, apiKey, amountFor, bound))
  }
  return {
    reserveChat(request, candidates, context) {
      const { apiKey } = context
      if (apiKey == null) return nothingHeld
      assertModelsAllowed(apiKey, candidates)
      const requestedMaxOutputTokens = request.max_completion_tokens ?? request.max_tokens
      const choices = request.n ?? 1
      return reserveBounded(context.requestId, apiKey, (countTokens) => {
        const inputTokens = countChatPromptTokens(request, countTokens)
        let amountMicros = 0
        for (const model of candidates) {
          const cost = worstCaseCostMicros({ model, inputTokens, requestedMaxOutputTokens, choices, unpricedCeilingMicros })
          if (cost > amountMicros) amountMicros = cost
        }
        return amountMicros
      })
    },
    async reserveEmbeddings(request, model, context) {
      const { apiKey } = context
      if (apiKey == null) return nothingHeld
      assertModelsAllowed(apiKey, [model])
      return reserveBounded(context.requestId, apiKey, (countTokens) =>
        worstCaseCostMicros({
          model,
          inputTokens: countEmbeddingsInputTokens(request, countTokens),
          requestedMaxOutputTokens: 0,
          choices: 1,
          unpricedCeilingMicros,
        }),
      )
    },
  }
}
