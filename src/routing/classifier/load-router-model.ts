import { handFeatureNames, maxHashBits } from './extract-prompt-features.ts'

export type RouterTier = 'SIMPLE' | 'MEDIUM' | 'COMPLEX' | 'REASONING'

/** Score cut points: below `medium` is SIMPLE, below `complex` MEDIUM, below `reasoning` COMPLEX. */
export type TierThresholds = {
  readonly medium: number
  readonly complex: number
  readonly reasoning: number
}

/** A validated, ready-to-use router model (typed arrays, so scoring does no boxing). */
export type RouterModel = {
  readonly formatVersion: 1
  readonly hashBits: number
  readonly bias: number
  readonly hashedWeights: Float32Array
  readonly handWeights: Float64Array
  readonly handMean: Float64Array
  readonly handScale: Float64Array
  readonly tierThresholds: TierThresholds
}

/** The JSON shape of router-model.json, as written by scripts/router-train.ts. */
export type RouterModelFile = {
  formatVersion: 1
  hashBits: number
  bias: number
  hashedWeights: number[]
  hand: { names: string[]; mean: number[]; scale: number[]; weights: number[] }
  tierThresholds: { medium: number; complex: number; reasoning: number }
  training?: Record<string, unknown>
}

function fail(message: string): never {
  throw new Error(`invalid router model: ${message}`)
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function readNumber(record: Record<string, unknown>, key: string, where: string): number {
  const value = record[key]
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(`${where}${key} must be a number`)
  return value
}

function readNumbers(value: unknown, expectedLength: number, where: string): number[] {
  if (!Array.isArray(value)) fail(`${where} must be an array`)
  if (value.length !== expectedLength) {
    fail(`${where} has ${value.length} entries, expected ${expectedLength}`)
  }
  for (const entry of value) {
    if (typeof entry !== 'number' || !Number.isFinite(entry)) fail(`${where} holds a non-number`)
  }
  return value as number[]
}

/**
 * Validates parsed router-model.json and turns it into a RouterModel. Throws on anything
 * malformed: a half-valid model would route silently wrong, which is worse than failing at boot.
 */
export function loadRouterModel(json: unknown): RouterModel {
  if (!isRecord(json)) fail('expected an object')
  if (json.formatVersion !== 1) fail(`unsupported formatVersion ${String(json.formatVersion)}`)
  const hashBits = readNumber(json, 'hashBits', '')
  if (!Number.isInteger(hashBits) || hashBits < 4 || hashBits > maxHashBits) {
    fail(`hashBits must be an integer in 4..${maxHashBits}`)
  }
  const bias = readNumber(json, 'bias', '')
  const hashedWeights = readNumbers(json.hashedWeights, 1 << hashBits, 'hashedWeights')

  const hand = json.hand
  if (!isRecord(hand)) fail('hand must be an object')
  const names = hand.names
  if (!Array.isArray(names) || names.length !== handFeatureNames.length || names.some((name, index) => name !== handFeatureNames[index])) {
    fail('hand.names does not match the features this build extracts')
  }
  const count = handFeatureNames.length
  const mean = readNumbers(hand.mean, count, 'hand.mean')
  const scale = readNumbers(hand.scale, count, 'hand.scale')
  if (scale.some((value) => value <= 0)) fail('hand.scale entries must be positive')
  const weights = readNumbers(hand.weights, count, 'hand.weights')

  const thresholds = json.tierThresholds
  if (!isRecord(thresholds)) fail('tierThresholds must be an object')
  const medium = readNumber(thresholds, 'medium', 'tierThresholds.')
  const complex = readNumber(thresholds, 'complex', 'tierThresholds.')
  const reasoning = readNumber(thresholds, 'reasoning', 'tierThresholds.')
  if (!(medium >= 0 && medium <= complex && complex <= reasoning && reasoning <= 1)) {
    fail('tierThresholds must satisfy 0 <= medium <= complex <= reasoning <= 1')
  }

  return {
    formatVersion: 1,
    hashBits,
    bias,
    hashedWeights: Float32Array.from(hashedWeights),
    handWeights: Float64Array.from(weights),
    handMean: Float64Array.from(mean),
    handScale: Float64Array.from(scale),
    tierThresholds: { medium, complex, reasoning },
  }
}
