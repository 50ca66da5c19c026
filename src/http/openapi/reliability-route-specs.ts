import { z } from 'zod'
import type { RouteSpec } from './route-spec.ts'

// Deployment health and circuit breakers (src/routing/health/, docs/reliability.md).

export const reliabilityRouteSpecs: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/api/v1/admin/health',
    summary: 'Health of every deployment: counts, latency averages, circuit state',
    tag: 'admin',
    auth: 'admin_token',
    responses: {
      200: {
        description: 'Per-deployment health.',
        json: z.looseObject({
          object: z.literal('list'),
          settings: z.looseObject({}),
          data: z.array(
            z.looseObject({ deployment_id: z.string(), state: z.enum(['closed', 'open', 'half_open']), available: z.boolean() }),
          ),
        }),
      },
    },
  },
]
