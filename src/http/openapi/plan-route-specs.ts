import { z } from 'zod'
import { planBodySchema } from '../../plan/parse-plan-request.ts'
import type { RouteSpec } from './route-spec.ts'

// Multi-model orchestration (src/plan/, docs/plan-and-output-formats.md).

export const planRouteSpecs: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/v1/plan',
    summary: 'Multi-model orchestration: planning, adversarial, vote or refine',
    description:
      'Needs a key with the `plan` scope; rate-limited like the other data-plane routes. The whole worst case is held before the first step; each step is charged as its own ledger row (`<plan id>_s<n>`). With `stream: true` the answer is SSE: step_started, step_delta, step_finished, then plan_finished (or error).',
    tag: 'data plane',
    auth: 'api_key',
    request: { json: planBodySchema },
    responses: {
      200: { description: 'The plan: output, every step, summed usage and cost.', json: z.looseObject({ output: z.unknown() }) },
      400: { description: 'Unknown mode, iterations outside 0–10, or a bad schema (the error names the field).' },
      402: { description: 'The plan’s worst-case cost exceeds the balance, the key’s limit or its monthly budget; no step ran.' },
      403: { description: 'The key lacks the `plan` scope, or may not use a model of the lineup.' },
      422: { description: 'The answer did not match `output_format` after the repair rounds.' },
      429: { description: 'A rate limit of the key.' },
    },
  },
]
