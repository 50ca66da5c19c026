import { Command, CommanderError } from 'commander'
import { type CliContext, CliError, exitCodes } from './cli-context.ts'
import { registerAccountCommands } from './commands/account-commands.ts'
import { registerAdminKeysCommands } from './commands/admin-keys-command.ts'
import { registerAdminUsersCommands } from './commands/admin-users-command.ts'
import { registerDataPlaneCommands } from './commands/data-plane-commands.ts'
import { registerLoginCommands } from './commands/login-command.ts'
import { registerServeCommand } from './commands/serve-command.ts'
import { registerUserKeysCommands } from './commands/user-keys-command.ts'

/** Parses argv, runs one command, and returns the process exit code. */
export async function runCli(argv: readonly string[], context: CliContext): Promise<number> {
  let exitCode: number = exitCodes.ok
  const program = new Command('switchyard')
    .description('Switchyard: one OpenAI-compatible endpoint in front of every model provider.')
    .option('--json', 'machine-readable JSON output (or SWITCHYARD_JSON=1)')
    .exitOverride()
    .configureOutput({ writeOut: context.stdout, writeErr: context.stderr })
    .showHelpAfterError()

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
      if (wantsJson())
        context.stdout(
          `${JSON.stringify({ error: { message: error.message, exit_code: error.exitCode, details: error.details ?? null } }, null, 2)}\n`,
        )
      else context.stderr(`error: ${error.message}\n`)
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
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0
        ? exitCodes.ok
        : exitCodes.userError
    }
    if (error instanceof CliError) {
      context.stderr(`error: ${error.message}\n`)
      return error.exitCode
    }
    throw error
  }
  return exitCode
}
