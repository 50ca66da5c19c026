export type CliContext = {
  env: Readonly<Record<string, string | undefined>>
  stdout: (text: string) => void
  stderr: (text: string) => void
  /** Whether stdout and stderr are both a terminal: spinners and colours only then. */
  isTty?: boolean
  /** Raw stderr writes (no newline added), for a spinner redrawn in place. */
  status?: (text: string) => void
}

/** Exit codes every command keeps: scripts and agents branch on them. */
export const exitCodes = { ok: 0, userError: 1, networkError: 2, serverError: 3 } as const

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
    readonly details?: unknown,
  ) {
    super(message)
  }
}
