import type { CatalogModel } from '../../catalog/catalog-types.ts'
import { GatewayError } from '../../errors/gateway-error.ts'

/** When neither the request nor the catalogue bounds the output, this many tokens are held. */
export const defaultOutputTokenBound = 32_768

/**
 * The most a call to `model` can cost: every input token at the dearer of the input and
 * cache-write prices, and the output at `max_tokens` (capped by the model's own maximum) times
 * the number of choices. A model without a price is refused, unless the operator configured a
 * ceiling to hold for such models (SWITCHYARD_UNPRICED_MODEL_CEILING_USD).
 */
export function worstCaseCostMicros(input: {
  model: CatalogModel
  inputTokens: number
  requestedMaxOutputTokens: number | undefined
  choices: number
  unpricedCeilingMicros: number | undefined
}): number {
  const { model } = input
  if (model.pricing == null) {
    if (input.unpricedCeilingMicros != null) return input.unpricedCeilingMicros
    throw new GatewayError(
      'permission_denied',
      `The model \`${model.id}\` has no price in the catalogue, so its cost cannot be bounded. Declare its price in switchyard.yaml, or set SWITCHYARD_UNPRICED_MODEL_CEILING_USD to hold a fixed amount for unpriced models.`,
      { param: 'model' },
    )
  }
  const modelBound = model.maxOutputTokens ?? model.contextWindow ?? defaultOutputTokenBound
  const outputTokens = Math.min(input.requestedMaxOutputTokens ?? modelBound, modelBound) * Math.max(1, input.choices)
  const inputPerMillion = Math.max(model.pricing.inputPerMillion, model.pricing.cacheWritePerMillion)
  // Rounded up, where the real cost is rounded to nearest: the hold is always an upper bound.
  return Math.ceil((input.inputTokens * inputPerMillion + outputTokens * model.pricing.outputPerMillion) / 1_000_000)
}
