import { adminAccountsRouteSpecs } from './admin-accounts-route-specs.ts'
import { agentRouteSpecs } from './agent-route-specs.ts'
import { billingRouteSpecs } from './billing-route-specs.ts'
import { coreRouteSpecs } from './core-route-specs.ts'
import { managementRouteSpecs } from './management-route-specs.ts'
import { planRouteSpecs } from './plan-route-specs.ts'
import { reliabilityRouteSpecs } from './reliability-route-specs.ts'
import type { RouteSpec } from './route-spec.ts'
import { routingRouteSpecs } from './routing-route-specs.ts'

/** Every documented route. A branch that adds routes adds its table here (one line). */
export const allRouteSpecs: readonly RouteSpec[] = [
  ...coreRouteSpecs,
  ...agentRouteSpecs,
  ...planRouteSpecs,
  ...billingRouteSpecs,
  ...reliabilityRouteSpecs,
  ...routingRouteSpecs,
  ...managementRouteSpecs,
  ...adminAccountsRouteSpecs,
]
