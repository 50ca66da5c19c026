import type { CliContext } from './cli-context.ts'

export type Output = { json: boolean; print(value: unknown, human: () => string): void }

/** What every command registration receives from run-cli.ts. */
export type CommandKit = {
  context: CliContext
  /** Runs an action and turns a CliError into its exit code and message. */
  run: (action: () => Promise<void>) => Promise<void>
  output: () => Output
}
