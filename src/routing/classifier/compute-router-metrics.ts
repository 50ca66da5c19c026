/**
 * Offline router quality, as RouteLLM measures it (routellm/evals/evaluate.py): sweep the
 * threshold, record (share of strong calls, accuracy of the routed mix), then
 * - APGR: area under that curve, normalised so always-weak = 0 and always-strong = 1;
 * - CPT(x): the share of strong calls needed to recover x of the weak-to-strong accuracy gap.
 *
 * Two deliberate differences from RouteLLM's script, both making the numbers less noisy:
 * the curve has a point at every distinct score (RouteLLM uses 10 quantile bins), and CPT is
 * read at the curve's first crossing of the target (RouteLLM's np.interp assumes the accuracy
 * is monotonic in strong share, which a real router's curve is not).
 */

export type RoutedExample = {
  /** Router score; higher means "send to the strong model" earlier in the sweep. */
  score: number
  weakCorrect: boolean
  strongCorrect: boolean
}

export type CurvePoint = { strongShare: number; accuracy: number }

export type RouterMetrics = {
  apgr: number
  /** Share of strong calls (0..1) to recover 50% / 80% of the accuracy gap. */
  cpt50: number
  cpt80: number
  weakAccuracy: number
  strongAccuracy: number
  count: number
}

/**
 * The routing curve from 0% to 100% strong calls. Prompts with equal scores are routed
 * together (a threshold cannot split a tie), so the points jump over whole tie groups.
 */
export function computeRoutingCurve(examples: readonly RoutedExample[]): CurvePoint[] {
  const count = examples.length
  if (count === 0) return []
  const ordered = [...examples].sort((left, right) => right.score - left.score)
  let correct = 0
  for (const example of ordered) if (example.weakCorrect) correct++
  const curve: CurvePoint[] = [{ strongShare: 0, accuracy: correct / count }]
  for (let index = 0; index < count; index++) {
    const example = ordered[index] as RoutedExample
    correct += Number(example.strongCorrect) - Number(example.weakCorrect)
    const next = ordered[index + 1]
    if (next === undefined || next.score !== example.score) {
      curve.push({ strongShare: (index + 1) / count, accuracy: correct / count })
    }
  }
  return curve
}

function areaUnderCurve(curve: readonly CurvePoint[]): number {
  let area = 0
  for (let index = 1; index < curve.length; index++) {
    const left = curve[index - 1] as CurvePoint
    const right = curve[index] as CurvePoint
    area += ((left.accuracy + right.accuracy) / 2) * (right.strongShare - left.strongShare)
  }
  return area
}

function callsToReach(curve: readonly CurvePoint[], target: number): number {
  const first = curve[0]
  if (first === undefined || first.accuracy >= target) return 0
  for (let index = 1; index < curve.length; index++) {
    const left = curve[index - 1] as CurvePoint
    const right = curve[index] as CurvePoint
    if (right.accuracy >= target) {
      const fraction = (target - left.accuracy) / (right.accuracy - left.accuracy)
      return left.strongShare + fraction * (right.strongShare - left.strongShare)
    }
  }
  return 1
}

export function computeRouterMetrics(examples: readonly RoutedExample[]): RouterMetrics {
  const curve = computeRoutingCurve(examples)
  const weakAccuracy = curve[0]?.accuracy ?? 0
  const strongAccuracy = curve[curve.length - 1]?.accuracy ?? 0
  const gap = strongAccuracy - weakAccuracy
  return {
    apgr: gap === 0 ? 0 : (areaUnderCurve(curve) - weakAccuracy) / gap,
    cpt50: callsToReach(curve, weakAccuracy + 0.5 * gap),
    cpt80: callsToReach(curve, weakAccuracy + 0.8 * gap),
    weakAccuracy,
    strongAccuracy,
    count: examples.length,
  }
}
