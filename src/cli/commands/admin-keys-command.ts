import type { Command } from 'commander'
import { createAdminApiClient } from '../admin-api-client.ts'
import { CliError, exitCodes } from '../cli-context.ts'
import type { CommandKit } from '../command-kit.ts'
import { formatTable } from '../print-table.ts'

type KeyView = { id: string; name: string; key_prefix: string; scopes: string[]; created_at: string; revoked_at: string | null }
type KeyCreateFlags = {
  name: string
  user: string
  scopes: string
  limitUsd?: string
  monthlyBudgetUsd?: string
  models?: string
  expiresAt?: string
  burstRps?: string
  rpm?: string
  tpm?: string
  maxConcurrent?: string
}

/** A numeric flag as a body field, or nothing when the flag was not given; a non-number is a usage error. */
function optionalNumber(field: string, text: string | undefined): Record<string, number> {
  if (text == null) return {}
  const value = Number(text)
  if (!Number.isFinite(value) || value < 0)
    throw new CliError(`--${field.replaceAll('_', '-')} expects a non-negative number, got "${text}".`, exitCodes.userError)
  return { [field]: value }
}

/** `switchyard admin keys create|list|revoke`, over the admin API with the admin token. */
export function registerAdminKeysCommands(admin: Command, kit: CommandKit): void {
  const { run, output } = kit
  const client = () => createAdminApiClient(kit.context)
  const keys = admin.command('keys').description('Manage API keys.')

  keys
    .command('create')
    .description('Create an API key; the raw key is printed once.')
    .requiredOption('--name <name>', 'a name to recognise the key by')
    .requiredOption('--user <email>', "the owner's email (keys belong to users)")
    .option('--scopes <list>', 'comma-separated: chat, plan, embeddings, manage', 'chat,embeddings')
    .option('--limit-usd <usd>', 'lifetime spend ceiling of this key, USD')
    .option('--monthly-budget-usd <usd>', 'spend allowed per calendar month (UTC), USD')
    .option('--models <globs>', 'comma-separated allowed models, e.g. openai/*,anthropic/claude-haiku-4-5')
    .option('--expires-at <time>', 'ISO 8601 time after which the key stops working')
    .option('--burst-rps <n>', 'requests per second (default 10)')
    .option('--rpm <n>', 'requests per minute')
    .option('--tpm <n>', 'tokens per minute')
    .option('--max-concurrent <n>', 'requests in flight at once')
    .addHelpText(
      'after',
      '\nExample:\n  switchyard admin keys create --name my-app --user ada@example.com --scopes chat,embeddings --limit-usd 20 --models "openai/*" --json\n',
    )
    .action((flags: KeyCreateFlags) =>
      run(async () => {
        const list = (text: string | undefined) =>
          (text ?? '')
            .split(',')
            .map((item) => item.trim())
            .filter((item) => item !== '')
        const scopes = list(flags.scopes)
        const rateLimits = {
          ...optionalNumber('burst_rps', flags.burstRps),
          ...optionalNumber('requests_per_minute', flags.rpm),
          ...optionalNumber('tokens_per_minute', flags.tpm),
          ...optionalNumber('max_concurrent', flags.maxConcurrent),
        }
        const created = await client().request<KeyView & { raw: string }>('POST', '/api/v1/admin/keys', {
          name: flags.name,
          user_email: flags.user,
          scopes,
          ...optionalNumber('limit_usd', flags.limitUsd),
          ...optionalNumber('monthly_budget_usd', flags.monthlyBudgetUsd),
          ...(flags.models == null ? {} : { allowed_models: list(flags.models) }),
          ...(flags.expiresAt == null ? {} : { expires_at: flags.expiresAt }),
          ...(Object.keys(rateLimits).length === 0 ? {} : { rate_limits: rateLimits }),
        })
        const view = {
          id: created.id,
          name: created.name,
          key_prefix: created.key_prefix,
          raw: created.raw,
          scopes: created.scopes,
          created_at: created.created_at,
        }
        output().print(
          view,
          () => `Created key ${view.id} (${view.name}), scopes ${view.scopes.join(',')}.\nThe key is shown only this once:\n${view.raw}`,
        )
      }),
    )

  keys
    .command('list')
    .description('List API keys (never their raw values).')
    .addHelpText('after', '\nExample:\n  switchyard admin keys list --json\n')
    .action(() =>
      run(async () => {
        const listed = await client().request<{ data: KeyView[] }>('GET', '/api/v1/admin/keys')
        output().print(listed.data, () =>
          formatTable(
            ['ID', 'NAME', 'PREFIX', 'SCOPES', 'CREATED', 'REVOKED'],
            listed.data.map((key) => [key.id, key.name, key.key_prefix, key.scopes.join(','), key.created_at, key.revoked_at ?? '']),
          ),
        )
      }),
    )

  keys
    .command('revoke')
    .description('Revoke an API key; it stops working at once.')
    .argument('<id>', 'the key id (key_...)')
    .addHelpText('after', '\nExample:\n  switchyard admin keys revoke key_AbCdEf0123456789\n')
    .action((id: string) =>
      run(async () => {
        const revoked = await client().request<KeyView>('DELETE', `/api/v1/admin/keys/${encodeURIComponent(id)}`)
        output().print(revoked, () => `Revoked ${revoked.id} (${revoked.name}) at ${revoked.revoked_at}.`)
      }),
    )
}
