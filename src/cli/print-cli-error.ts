import type { CliContext } from './cli-context.ts'

/**
 * Prints a failed command the one way scripts and agents can rely on: under --json the error shape
 * `{ error: { message, exit_code, details } }` on stdout, otherwise `error: message` on stderr.
 */
export function printCliError(context: CliContext, json: boolean, error: { message: string; exitCode: number; details?: unknown }): void {
  if (json)
    context.stdout(
      `${JSON.stringify({ error: { message: error.message, exit_code: error.exitCode, details: error.details ?? null } }, null, 2)}\n`,
    )
  else context.stderr(`error: ${error.message}\n`)
}
