import type { Command } from 'commander'
import { managementClient } from '../cli-session.ts'
import type { CommandKit } from '../command-kit.ts'
import { lastKeyPath, writeSecretFile } from '../credentials-file.ts'
import { formatTable } from '../print-table.ts'

// `switchyard keys ...`: the signed-in user's own keys through PRODUCT §5's /api/v1/me/keys.
// The JSON printed is the gateway's answer as is, so the shape is the management API's.

type KeyView = {
  id: string
  name: string
  key_prefix: string
  raw?: string
  created_at?: string
  revoked_at?: string | null
  scopes?: string[]
}

export function registerUserKeysCommands(program: Command, kit: CommandKit): void {
  const { context, run, output } = kit
  const keys = program.command('keys').description('Your API keys (needs `switchyard login` or a manage key).')

  keys
    .command('create')
    .description('Create an API key; the raw key is printed once and cached in ~/.switchyard/last_key.txt.')
    .requiredOption('--name <name>', 'a name to recognise the key by (e.g. the project)')
    .option('--no-cache', 'do not write the raw key to ~/.switchyard/last_key.txt')
    .addHelpText('after', '\nExample:\n  switchyard keys create --name my-project --json\n')
    .action((flags: { name: string; cache: boolean }) =>
      run(async () => {
        const created = await managementClient(context).request<KeyView & { raw: string }>('POST', '/api/v1/me/keys', { name: flags.name })
        if (flags.cache && typeof created.raw === 'string') writeSecretFile(lastKeyPath(context.env), `${created.raw}\n`)
        output().print(
          created,
          () =>
            `Created key ${created.id} (${created.name}).\nThe key is shown only this once${flags.cache ? ` (also saved to ${lastKeyPath(context.env)})` : ''}:\n${created.raw}`,
        )
      }),
    )

  keys
    .command('list')
    .description('List your API keys (never their raw values).')
    .addHelpText('after', '\nExample:\n  switchyard keys list --json\n')
    .action(() =>
      run(async () => {
        const listed = await managementClient(context).request<{ data: KeyView[] } | KeyView[]>('GET', '/api/v1/me/keys')
        const rows = Array.isArray(listed) ? listed : listed.data
        output().print(rows, () =>
          formatTable(
            ['ID', 'NAME', 'PREFIX', 'CREATED', 'REVOKED'],
            rows.map((key) => [key.id, key.name, key.key_prefix, key.created_at ?? '', key.revoked_at ?? '']),
          ),
        )
      }),
    )

  keys
    .command('revoke')
    .description('Revoke one of your API keys; calls with it get 401 at once.')
    .argument('<id>', 'the key id (key_...)')
    .addHelpText('after', '\nExample:\n  switchyard keys revoke key_AbCdEf0123456789 --json\n')
    .action((id: string) =>
      run(async () => {
        const revoked = await managementClient(context).request<KeyView>('DELETE', `/api/v1/me/keys/${encodeURIComponent(id)}`)
        output().print(revoked, () => `Revoked ${revoked.id} (${revoked.name}).`)
      }),
    )
}
