import type { CatalogModel } from '../../catalog/catalog-types.ts'
import { GatewayError, isGatewayError } from '../../errors/gateway-error.ts'
import type { SpendGate } from '../../pipeline/pipeline-types.ts'
import type { ApiKeyRecord } from '../../store/store.ts'
import { assertModelsAllowed } from '../allowed-models.ts'
import type { SpendLedger } from './spend-ledger.ts'
import { worstCaseCostMicros } from './worst-case-cost.ts'

/** A plan's money: one hold for the whole plan, charged step by step. */
export type PlanReservation = {
  /**
   * The spend gate the plan's steps run under instead of the pipeline's: it takes no hold of its
   * own (the plan's hold already covers the step) and turns the step's settlement into one ledger
   * row whose id is the step's request id (`<plan>_s<n>`), charged from the plan's hold.
   */
  stepSpend: SpendGate
  /** Frees what the steps did not use, at once. Later step settlements then charge nothing. */
  release(): void
}

export type ReservePlan = (input: {
  requestId: string
  apiKey: ApiKeyRecord | undefined
  worstCaseMicros: number
  models: readonly CatalogModel[]
}) => Promise<PlanReservation | undefined>

/**
 * Reserves a plan's whole worst case against the owner's balance and the key's ceiling and
 * monthly budget (all three or a 402, before any step runs), after checking the key may use every
 * model of the lineup. A request without a key (none today) holds nothing.
 */
export function createPlanReserver(options: {
  ledger: SpendLedger
  now: () => number
  /** SWITCHYARD_UNPRICED_MODEL_CEILING_USD: as for single calls, an unpriced model is refused without it. */
  unpricedCeilingMicros?: number | undefined
}): ReservePlan {
  const { ledger } = options
  return async function reservePlan({ requestId, apiKey, worstCaseMicros, models }) {
    if (apiKey == null) return undefined
    assertModelsAllowed(apiKey, models)
    // The plan's worst case prices only priced models; each unpriced one of the lineup is refused
    // or adds the configured ceiling, as the per-call gate does.
    let unpricedMicros = 0
    for (const model of new Set(models)) {
      if (model.pricing != null) continue
      unpricedMicros += worstCaseCostMicros({
        model,
        inputTokens: 0,
        requestedMaxOutputTokens: 0,
        choices: 1,
        unpricedCeilingMicros: options.unpricedCeilingMicros,
      })
    }
    const amountMicros = worstCaseMicros + unpricedMicros
    // An async wrapper turns memory mode's synchronous refusal into a rejection like shared mode's.
    const hold = await (async () => ledger.reserve({ requestId, apiKey, amountMicros, now: options.now() }))().catch((error: unknown) => {
      if (isGatewayError(error)) throw error
      throw new GatewayError('service_unavailable', 'The account store is unreachable; try again shortly.', { cause: error })
    })
    const stepSpend: SpendGate = {
      async reserveChat(_request, candidates, context) {
        // A step's fallbacks (other deployments) must be allowed too.
        assertModelsAllowed(apiKey, candidates)
        return {
          settle(costMicros, note) {
            hold.charge(context.requestId, costMicros, note)
          },
          release() {},
        }
      },
      async reserveEmbeddings() {
        throw new GatewayError('internal_error', 'A plan step is never an embeddings call.')
      },
    }
    return { stepSpend, release: () => hold.release() }
  }
}
