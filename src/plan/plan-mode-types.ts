import type { CatalogModel } from '../catalog/catalog-types.ts'
import type { OutputFormat } from '../output/output-format.ts'
import type { ChatMessage } from '../protocol/openai-chat-types.ts'
import type { PlanStep, RunStep } from './plan-step-runner.ts'

export type SucceededStep = Extract<PlanStep, { ok: true }>

/** The models of a plan, chosen before it starts (so its worst-case cost is known). */
export type ResolvedLineup = { primary: CatalogModel; review?: CatalogModel; voters?: CatalogModel[]; judge?: CatalogModel }

export type ModeInput = {
  messages: ChatMessage[]
  /** All user messages joined by newlines: what the critique, judge and improve templates quote. */
  userText: string
  iterations: number
  returnPlanOnly: boolean
  lineup: ResolvedLineup
  /** Applied to the steps whose answer may become the final one. */
  format: OutputFormat | undefined
  runStep: RunStep
}

export type ModeResult = {
  /** The mode's own result object (TokenHub's shape, completed). */
  response: Record<string, unknown>
  /** The step whose answer is the plan's answer (shaped, and repaired if need be). */
  final: SucceededStep
  routingReason: string
}
