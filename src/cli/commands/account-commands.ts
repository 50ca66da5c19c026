import { type Command, InvalidArgumentError } from 'commander'
import { managementClient } from '../cli-session.ts'
import type { CommandKit } from '../command-kit.ts'
import { openInBrowser } from '../open-in-browser.ts'

// `switchyard balance|topup|usage` through PRODUCT §5's management API. The JSON printed is the
// gateway's answer as is (documented in docs/cli.md), so agents see one shape everywhere.

export function registerAccountCommands(program: Command, kit: CommandKit): void {
  const { context, run, output } = kit

  program
    .command('balance')
    .description('Your balance in USD.')
    .addHelpText('after', '\nExample:\n  switchyard balance --json\n')
    .action(() =>
      run(async () => {
        const balance = await managementClient(context).request<{ balance_usd: string | number; currency?: string }>(
          'GET',
          '/api/v1/balance',
        )
        output().print(balance, () => `Balance: $${balance.balance_usd} ${balance.currency ?? 'USD'}`)
      }),
    )

  program
    .command('topup')
    .description('Get a checkout URL to add credit. It never pays: a human opens the URL and pays.')
    .requiredOption('--amount <usd>', 'amount in USD, e.g. 5', parseAmount)
    .option('--open', 'also open the URL in the default browser (for a human at this machine)')
    .addHelpText(
      'after',
      '\nExample:\n  switchyard topup --amount 5 --json    # agents: hand checkout_url to your human; never pay yourself\n',
    )
    .action((flags: { amount: number; open?: boolean }) =>
      run(async () => {
        const topup = await managementClient(context).request<{ checkout_url: string }>('POST', '/api/v1/topup', {
          amount_usd: flags.amount,
        })
        if (flags.open === true) openInBrowser(topup.checkout_url)
        output().print(topup, () => `Open this URL to pay (the CLI never pays):\n${topup.checkout_url}`)
      }),
    )

  program
    .command('usage')
    .description('Spend and tokens over the last N days (successful requests).')
    .option('--days <n>', 'how many days, 1–365', parseDays, 30)
    .addHelpText('after', '\nExample:\n  switchyard usage --days 7 --json\n')
    .action((flags: { days: number }) =>
      run(async () => {
        const usage = await managementClient(context).request<Record<string, unknown>>('GET', `/api/v1/usage?days=${flags.days}`)
        output().print(usage, () =>
          Object.entries(usage)
            .filter(([, value]) => value == null || typeof value !== 'object')
            .map(([name, value]) => `${name}: ${String(value)}`)
            .join('\n'),
        )
      }),
    )
}

function parseAmount(value: string): number {
  const amount = Number(value)
  if (!Number.isFinite(amount) || amount <= 0 || amount > 10_000) throw invalid('--amount must be a number of USD above 0, e.g. 5')
  return amount
}

function parseDays(value: string): number {
  const days = Number(value)
  if (!Number.isInteger(days) || days < 1 || days > 365) throw invalid('--days must be a whole number from 1 to 365')
  return days
}

function invalid(message: string): InvalidArgumentError {
  return new InvalidArgumentError(message)
}
