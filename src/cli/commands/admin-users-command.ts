import type { Command } from 'commander'
import { createAdminApiClient } from '../admin-api-client.ts'
import { CliError, exitCodes } from '../cli-context.ts'
import type { CommandKit } from '../command-kit.ts'
import { formatTable } from '../print-table.ts'

type UserView = { id: string; email: string; balance_usd: number; balance_micros: number; created_at: string }
type CreditView = { user_id: string; applied: boolean; amount_usd: number; balance_usd: string; balance_micros: number }

/** Reads a password from standard input (one line; the trailing newline is dropped), so it never sits in argv or shell history. */
async function readPasswordFromStdin(): Promise<string> {
  const text = await new Response(Bun.stdin.stream()).text()
  const password = text.replace(/\r?\n$/, '')
  if (password === '') throw new CliError('--password-stdin: standard input was empty.', exitCodes.userError)
  return password
}

/** `switchyard admin users create|list` and `switchyard admin credit`, over the admin API. */
export function registerAdminUsersCommands(admin: Command, kit: CommandKit): void {
  const { run, output } = kit
  const client = () => createAdminApiClient(kit.context)

  const users = admin.command('users').description('Manage users (each owns keys and a balance).')
  users
    .command('create')
    .description('Create a user; with --password-stdin the user can also sign in with a password.')
    .requiredOption('--email <email>', "the user's email")
    .option('--password-stdin', 'read the password from standard input')
    .addHelpText(
      'after',
      '\nExample:\n  printf %s "$PASSWORD" | switchyard admin users create --email ada@example.com --password-stdin --json\n',
    )
    .action((flags: { email: string; passwordStdin?: boolean }) =>
      run(async () => {
        const password = flags.passwordStdin === true ? await readPasswordFromStdin() : undefined
        const created = await client().request<UserView>('POST', '/api/v1/admin/users', {
          email: flags.email,
          ...(password == null ? {} : { password }),
        })
        output().print(created, () => `Created user ${created.id} (${created.email}).`)
      }),
    )
  users
    .command('list')
    .description('List users with their balances.')
    .addHelpText('after', '\nExample:\n  switchyard admin users list --json\n')
    .action(() =>
      run(async () => {
        const listed = await client().request<{ data: UserView[] }>('GET', '/api/v1/admin/users')
        output().print(listed.data, () =>
          formatTable(
            ['ID', 'EMAIL', 'BALANCE_USD', 'CREATED'],
            listed.data.map((user) => [user.id, user.email, user.balance_usd.toFixed(6), user.created_at]),
          ),
        )
      }),
    )

  admin
    .command('credit')
    .description("Add money to a user's balance (recorded in the ledger and the audit log).")
    .requiredOption('--user <email>', "the user's email")
    .requiredOption('--amount <usd>', 'amount in USD, e.g. 5 or 0.25')
    .requiredOption('--note <text>', 'why (shown in the ledger)')
    .option('--idempotency-key <key>', 'repeat-safe: the same key credits only once')
    .addHelpText('after', '\nExample:\n  switchyard admin credit --user ada@example.com --amount 5 --note "welcome credit" --json\n')
    .action((flags: { user: string; amount: string; note: string; idempotencyKey?: string }) =>
      run(async () => {
        const amount = Number(flags.amount)
        if (!Number.isFinite(amount) || amount <= 0)
          throw new CliError(`--amount expects a positive number of USD, got "${flags.amount}".`, exitCodes.userError)
        const credited = await client().request<CreditView>('POST', '/api/v1/admin/credits', {
          user_email: flags.user,
          amount_usd: amount,
          note: flags.note,
          ...(flags.idempotencyKey == null ? {} : { idempotency_key: flags.idempotencyKey }),
        })
        output().print(credited, () =>
          credited.applied
            ? `Credited $${amount} to ${flags.user}; balance $${credited.balance_usd}.`
            : `Already credited (same idempotency key); balance $${credited.balance_usd}.`,
        )
      }),
    )
}
