import { Command, CommanderError } from 'commander'
import { type CliContext, CliError, exitCodes } from './cli-context.ts'
import { registerAccountCommands } from './commands/account-commands.ts'
import { registerAdminKeysCommands } from './commands/admin-keys-command.ts'
import { registerAdminUsersCommands } from './commands/admin-users-command.ts'
import { registerDataPlaneCommands } from './commands/data-plane-commands.ts'
import { registerLoginCommands } from './commands/login-command.ts'
import { registerServeCommand } from './commands/serve-command.ts'
import { registerUserKeysCommands } from './commands/user-keys-command.ts'
import { printCliError } from './print-cli-error.ts'

/** Parses argv, runs one command, and returns the process exit code. */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  let exitCode: number = exitCodes.ok
  const program = new Command('switchyard')
    .description('Switchyard: one OpenAI-compatible endpoint in front of every model provider.')
    .option('--json', 'machine-readable JSON output (or SWITCHYARD_JSON=1)')
    .exitOverride()
    .configureOutput({
      writeOut: context.stdout,
      // Commander writes only help to writeErr (after a parse error, or when a subcommand is missing).
      // Under --json the error goes to stdout as JSON instead (see the catch below), so the help dump is
      // dropped; the one-line message still reaches stderr through outputError.
      writeErr: (text) => {
        if (!wantsJson()) context.stderr(text)
      },
      outputError: (text) => context.stderr(text),
    })
    .showHelpAfterError()

  // Commander sets the root's --json while parsing the root's options, which it does before it
  // reports any unknown command or dispatches to the subcommand whose own parsing may fail.
  const wantsJson = () => program.opts<{ json?: boolean }>().json === true || context.env.SWITCHYARD_JSON === '1'
  const output = () => ({
    json: wantsJson(),
    print(value: unknown, human: () => string) {
      context.stdout(`${wantsJson() ? JSON.stringify(value, null, 2) : human()}\n`)
    },
  })
  const run = async (action: () => Promise<void>) => {
    try {
      await action()
    } catch (error) {
      if (!(error instanceof CliError)) throw error
      exitCode = error.exitCode
      printCliError(context, wantsJson(), error)
    }
  }

  registerServeCommand(program, context, run)
  const kit = { context, run, output }
  registerLoginCommands(program, kit)
  registerUserKeysCommands(program, kit)
  registerAccountCommands(program, kit)
  registerDataPlaneCommands(program, kit)
  const admin = program.command('admin').description('Operator commands (need SWITCHYARD_ADMIN_TOKEN).')
  registerAdminKeysCommands(admin, kit)
  registerAdminUsersCommands(admin, kit)

  try {
    await program.parseAsync([...argv], { from: 'user' })
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0) return exitCodes.ok
      // Commander has already told a human on stderr; a script asking for --json reads stdout.
      if (wantsJson()) printCliError(context, true, { message: usageErrorMessage(error), exitCode: exitCodes.userError })
      return exitCodes.userError
    }
    // A CliError from an option's parser (e.g. `serve --port abc`) escapes parseAsync, not run().
    if (error instanceof CliError) {
      printCliError(context, wantsJson(), error)
      return error.exitCode
    }
    throw error
  }
  return exitCode
}

/** Commander's message without its `error: ` prefix, like every other CLI error message. */
function usageErrorMessage(error: CommanderError): string {
  // `switchyard keys` with no subcommand shows the help and reports only the placeholder "(outputHelp)".
  if (error.code === 'commander.help') return 'a command is required; add --help to list them'
  return error.message.replace(/^error: /, '')
}
