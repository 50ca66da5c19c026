/**
 * Live health per deployment (seam 5): resilience measures it, routing scores with it. A
 * deployment id is CatalogModel.id (`provider/model`). Routing works without one (every
 * deployment then counts as available with no history).
 */
export type DeploymentStats = {
  state: 'closed' | 'open' | 'half_open'
  successRate: number
  latencyEmaMs: number | null
  ttftEmaMs: number | null
  requests: number
}

export interface HealthView {
  stats(deploymentId: string): DeploymentStats | undefined
  isAvailable(deploymentId: string, now: number): boolean
}
