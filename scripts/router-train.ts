import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { classifyPrompt, handFeatureClip } from '../src/routing/classifier/classify-prompt.ts'
import { computeRouterMetrics } from '../src/routing/classifier/compute-router-metrics.ts'
import { extractPromptFeatures, handFeatureNames } from '../src/routing/classifier/extract-prompt-features.ts'
import { loadRouterModel, type RouterModelFile } from '../src/routing/classifier/load-router-model.ts'
import { simpleAnchorPrompts } from './router-anchor-prompts.ts'
import { hashString, loadRoutingExamples, type RoutingExample } from './routellm-dataset.ts'
import { createSeededRandom } from './seeded-random.ts'

/**
 * Trains the auto-router's logistic regression on the RouteLLM training split and writes
 * src/routing/classifier/router-model.json. Deterministic: fixed seed, stable split, and
 * hyper-parameters picked on a validation slice carved out of the training split (the
 * held-out 20% is never looked at here).
 *
 *   npm run router:train        (ROUTELLM_DATA_DIR overrides the data folder)
 */

const seed = 20_240_601
/** Each anchor prompt is repeated so ~50 of them weigh against ~10,000 exam prompts. */
const anchorRepeats = 5
const modelPath = resolve(import.meta.dir, '../src/routing/classifier/router-model.json')

type TrainingConfig = { hashBits: number; learningRate: number; l2: number; epochs: number }

type EncodedExample = {
  buckets: Int32Array
  hashedValue: number
  hand: Float64Array
  label: number
}

/**
 * The target is "needs the strong model": strong right and weak wrong (the README's label).
 * The score is therefore an estimate of that probability, which is what a caller expects.
 */
function labelFor(example: RoutingExample): number {
  return example.strongCorrect && !example.weakCorrect ? 1 : 0
}

function encode(examples: readonly RoutingExample[], hashBits: number): EncodedExample[] {
  return examples.map((example) => {
    const features = extractPromptFeatures(example.prompt, hashBits)
    const count = features.hashedCount
    return {
      buckets: features.hashedBuckets.slice(0, count),
      hashedValue: count > 0 ? 1 / Math.sqrt(count) : 0,
      hand: Float64Array.from(features.hand),
      label: labelFor(example),
    }
  })
}

/** Training examples plus the easy-end anchors (see router-anchor-prompts.ts). */
function withAnchors(examples: readonly RoutingExample[]): RoutingExample[] {
  const anchors = simpleAnchorPrompts.map(
    (prompt): RoutingExample => ({
      dataset: 'mmlu',
      subject: 'anchor',
      prompt,
      weakCorrect: true,
      strongCorrect: true,
      split: 'train',
    }),
  )
  return [...examples, ...Array.from({ length: anchorRepeats }, () => anchors).flat()]
}

function standardise(encoded: readonly EncodedExample[]): { mean: number[]; scale: number[] } {
  const size = handFeatureNames.length
  const mean = new Float64Array(size)
  const variance = new Float64Array(size)
  for (const example of encoded) {
    for (let index = 0; index < size; index++) {
      mean[index] = (mean[index] ?? 0) + (example.hand[index] ?? 0) / encoded.length
    }
  }
  for (const example of encoded) {
    for (let index = 0; index < size; index++) {
      const deviation = (example.hand[index] ?? 0) - (mean[index] ?? 0)
      variance[index] = (variance[index] ?? 0) + (deviation * deviation) / encoded.length
    }
  }
  // A feature that never varies in training (e.g. code markers on MMLU) gets scale 1, so its
  // weight stays near zero instead of blowing up on a division by ~0.
  return {
    mean: Array.from(mean),
    scale: Array.from(variance, (value) => (value > 1e-12 ? Math.sqrt(value) : 1)),
  }
}

/** Per-example AdaGrad on the logistic loss, L2 applied lazily to the coordinates touched. */
function trainModel(encoded: readonly EncodedExample[], config: TrainingConfig, random: () => number): RouterModelFile {
  const { mean, scale } = standardise(encoded)
  const hashedSize = 1 << config.hashBits
  const handSize = handFeatureNames.length
  const hashedWeights = new Float64Array(hashedSize)
  const hashedSquares = new Float64Array(hashedSize)
  const handWeights = new Float64Array(handSize)
  const handSquares = new Float64Array(handSize)
  const handValues = new Float64Array(handSize)
  let bias = 0
  let biasSquares = 0
  const order = encoded.map((_, index) => index)
  const epsilon = 1e-8

  for (let epoch = 0; epoch < config.epochs; epoch++) {
    for (let index = order.length - 1; index > 0; index--) {
      const swap = Math.floor(random() * (index + 1))
      const held = order[index] as number
      order[index] = order[swap] as number
      order[swap] = held
    }
    for (const position of order) {
      const example = encoded[position] as EncodedExample
      let logit = bias
      for (const bucket of example.buckets) logit += (hashedWeights[bucket] ?? 0) * example.hashedValue
      for (let index = 0; index < handSize; index++) {
        const standardised = ((example.hand[index] ?? 0) - (mean[index] ?? 0)) / (scale[index] ?? 1)
        handValues[index] = Math.max(-handFeatureClip, Math.min(handFeatureClip, standardised))
        logit += (handWeights[index] ?? 0) * (handValues[index] ?? 0)
      }
      const error = 1 / (1 + Math.exp(-logit)) - example.label
      for (const bucket of example.buckets) {
        const gradient = error * example.hashedValue + config.l2 * (hashedWeights[bucket] ?? 0)
        hashedSquares[bucket] = (hashedSquares[bucket] ?? 0) + gradient * gradient
        hashedWeights[bucket] =
          (hashedWeights[bucket] ?? 0) - (config.learningRate * gradient) / (Math.sqrt(hashedSquares[bucket] ?? 0) + epsilon)
      }
      for (let index = 0; index < handSize; index++) {
        const gradient = error * (handValues[index] ?? 0) + config.l2 * (handWeights[index] ?? 0)
        handSquares[index] = (handSquares[index] ?? 0) + gradient * gradient
        handWeights[index] = (handWeights[index] ?? 0) - (config.learningRate * gradient) / (Math.sqrt(handSquares[index] ?? 0) + epsilon)
      }
      biasSquares += error * error
      bias -= (config.learningRate * error) / (Math.sqrt(biasSquares) + epsilon)
    }
  }

  // Four significant digits keep the shipped JSON small; the eval scores the rounded model.
  const round = (value: number): number => Number(value.toPrecision(4))
  return {
    formatVersion: 1,
    hashBits: config.hashBits,
    bias: round(bias),
    hashedWeights: Array.from(hashedWeights, round),
    hand: {
      names: [...handFeatureNames],
      mean: mean.map(round),
      scale: scale.map(round),
      weights: Array.from(handWeights, round),
    },
    tierThresholds: { medium: 0, complex: 0, reasoning: 0 },
  }
}

function scorePrompts(modelFile: RouterModelFile, examples: readonly RoutingExample[]): number[] {
  const model = loadRouterModel(modelFile)
  return examples.map((example) => classifyPrompt(example.prompt, model).score)
}

/** Mean APGR over the datasets, so the small GSM8K slice counts as much as MMLU. */
function validationApgr(modelFile: RouterModelFile, examples: readonly RoutingExample[]): number {
  const scores = scorePrompts(modelFile, examples)
  const datasets = ['mmlu', 'gsm8k'] as const
  let total = 0
  for (const dataset of datasets) {
    const routed = examples.flatMap((example, index) => (example.dataset === dataset ? [{ ...example, score: scores[index] ?? 0 }] : []))
    total += computeRouterMetrics(routed).apgr
  }
  return total / datasets.length
}

function quantile(sorted: readonly number[], fraction: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? 0
}

function main(): void {
  const { examples, contaminatedSkipped } = loadRoutingExamples()
  const training = examples.filter((example) => example.split === 'train')
  // Validation for hyper-parameters: a stable 15% of the training split, by prompt hash.
  const isValidation = (example: RoutingExample): boolean => hashString(`validation\u0000${example.prompt}`) % 100 < 15
  const fitting = training.filter((example) => !isValidation(example))
  const validation = training.filter(isValidation)
  console.log(
    `examples: ${examples.length} (contaminated skipped: ${contaminatedSkipped}); ` +
      `train ${training.length} = fit ${fitting.length} + validation ${validation.length}`,
  )

  let best: { config: TrainingConfig; apgr: number } | undefined
  for (const hashBits of [12, 14]) {
    const encodedFitting = encode(withAnchors(fitting), hashBits)
    for (const learningRate of [0.02, 0.05]) {
      for (const l2 of [1e-5, 1e-4]) {
        for (const epochs of [2, 4, 8]) {
          const config = { hashBits, learningRate, l2, epochs }
          const modelFile = trainModel(encodedFitting, config, createSeededRandom(seed))
          const apgr = validationApgr(modelFile, validation)
          console.log(`  ${JSON.stringify(config)} validation APGR ${apgr.toFixed(4)}`)
          if (best === undefined || apgr > best.apgr) best = { config, apgr }
        }
      }
    }
  }
  if (best === undefined) throw new Error('no configuration trained')
  console.log(`best ${JSON.stringify(best.config)} (validation APGR ${best.apgr.toFixed(4)})`)

  const modelFile = trainModel(encode(withAnchors(training), best.config.hashBits), best.config, createSeededRandom(seed))
  // Tiers are score quartiles on the training prompts: each tier holds a quarter of that
  // traffic, so COMPLEX + REASONING (the tiers a policy sends to strong models) is the half
  // of prompts the model rates most likely to need the strong model.
  const sorted = scorePrompts(modelFile, training).sort((left, right) => left - right)
  const round = (value: number): number => Number(value.toPrecision(6))
  modelFile.tierThresholds = {
    medium: round(quantile(sorted, 0.25)),
    complex: round(quantile(sorted, 0.5)),
    reasoning: round(quantile(sorted, 0.75)),
  }
  modelFile.training = {
    data: 'lm-sys/RouteLLM MMLU (47 subjects) + GSM8K, Mixtral-8x7B vs GPT-4-1106',
    label: 'strong model correct and weak model wrong',
    trainingExamples: training.length,
    seed,
    config: best.config,
    validationApgr: round(best.apgr),
    tierRule: 'quartiles of training-split scores',
    simpleAnchorPrompts: simpleAnchorPrompts.length,
  }
  loadRouterModel(modelFile)
  writeFileSync(modelPath, `${JSON.stringify(modelFile)}\n`)
  console.log(`wrote ${modelPath} (${JSON.stringify(modelFile.tierThresholds)})`)
}

main()
