import type { Command } from 'commander'
import { CliError, exitCodes } from '../cli-context.ts'
import { apiUrl, dataPlaneClient, dataPlaneKey, managementClient } from '../cli-session.ts'
import type { CommandKit } from '../command-kit.ts'
import { readLastKey } from '../credentials-file.ts'
import { formatTable } from '../print-table.ts'
import { terminalStyle } from '../terminal-style.ts'

type ModelView = {
  id: string
  owned_by: string
  kind: string
  pricing: { input: number | null; output: number | null; cached_input?: number | null } | null
  context_length: number | null
  capabilities: string[]
}

/** `switchyard env|test|models`: the data plane with an API key (--key, SWITCHYARD_API_KEY or the cached last key). */
export function registerDataPlaneCommands(program: Command, kit: CommandKit): void {
  const { context, run, output } = kit
  const style = terminalStyle(context.isTty === true)

  program
    .command('env')
    .description('Print OPENAI_API_KEY= and OPENAI_BASE_URL= lines, ready for `>> .env`.')
    .option('--key <key>', 'the API key (default: SWITCHYARD_API_KEY, then the key `keys create` cached)')
    .addHelpText('after', '\nExample:\n  switchyard env >> .env\n')
    .action((flags: { key?: string }) =>
      run(async () => {
        const key = dataPlaneKey(context, flags.key)
        const values = { OPENAI_API_KEY: key, OPENAI_BASE_URL: `${apiUrl(context)}/v1` }
        output().print(values, () => `OPENAI_API_KEY=${values.OPENAI_API_KEY}\nOPENAI_BASE_URL=${values.OPENAI_BASE_URL}`)
      }),
    )

  program
    .command('models')
    .description('The models this gateway serves, with prices in USD per million tokens.')
    .option('--key <key>', 'the API key (default: SWITCHYARD_API_KEY, then the cached key)')
    .addHelpText('after', '\nExample:\n  switchyard models --json | jq -r ".[].id"\n')
    .action((flags: { key?: string }) =>
      run(async () => {
        const models = await listModels(flags.key)
        const price = (value: number | null | undefined) => (value == null ? '-' : String(value))
        output().print(models, () =>
          formatTable(
            ['MODEL', 'INPUT $/M', 'OUTPUT $/M', 'CONTEXT', 'CAPABILITIES'],
            models.map((model) => [
              model.id,
              price(model.pricing?.input),
              price(model.pricing?.output),
              model.context_length == null ? '-' : String(model.context_length),
              model.capabilities.join(','),
            ]),
          ),
        )
      }),
    )

  program
    .command('test')
    .description('Send one tiny chat completion to check the key and the gateway end to end.')
    .option('--model <model>', 'the model (default: the cheapest available chat model)')
    .option('--key <key>', 'the API key (default: SWITCHYARD_API_KEY, then the cached key)')
    .addHelpText('after', '\nExample:\n  switchyard test --model openai/gpt-4o-mini --json\n')
    .action((flags: { model?: string; key?: string }) =>
      run(async () => {
        const model = flags.model ?? cheapestChatModel(await listModels(flags.key))
        const { body: completion, requestId } = await dataPlaneClient(context, flags.key)
          .requestWithId<{ id: string; model: string; choices: Array<{ message: { content: string | null } }>; usage?: { cost?: number } }>(
            'POST',
            '/v1/chat/completions',
            { model, messages: [{ role: 'user', content: 'Reply with the single word OK.' }], max_tokens: 5 },
          )
          .catch((error: unknown) => {
            if (error instanceof CliError && (error.details as { error?: { code?: string } })?.error?.code === 'insufficient_quota') {
              throw new CliError(
                `${error.message} (HTTP 402: the balance is empty; run \`switchyard topup --amount 5\` and hand the URL to a human).`,
                exitCodes.userError,
                error.details,
              )
            }
            throw error
          })
        const reply = completion.choices[0]?.message.content ?? ''
        output().print(
          { ok: true, model: completion.model, reply, request_id: requestId ?? completion.id, cost_usd: completion.usage?.cost ?? null },
          () => `${style.green('OK')} connected (${completion.model})\nreply: ${reply.slice(0, 200)}`,
        )
      }),
    )

  async function listModels(keyFlag: string | undefined): Promise<ModelView[]> {
    // With no API key yet (just logged in), the signed-in session reads the same list from the management API.
    const hasKey = keyFlag != null || (context.env.SWITCHYARD_API_KEY ?? '') !== '' || readLastKey(context.env) != null
    const listed = hasKey
      ? await dataPlaneClient(context, keyFlag).request<{ data: ModelView[] }>('GET', '/v1/models')
      : await managementClient(context).request<{ data: ModelView[] }>('GET', '/api/v1/models')
    return listed.data
  }
}

/**
 * The cheapest priced chat model by input + output price. The gateway's own built-in models (the
 * free echo) count only when nothing else is served, so a real setup tests a real provider.
 */
export function cheapestChatModel(models: readonly ModelView[]): string {
  const chat = models.filter((model) => model.kind === 'chat')
  const real = chat.filter((model) => model.owned_by !== 'switchyard')
  const pool = real.length > 0 ? real : chat
  const cost = (model: ModelView) =>
    (model.pricing?.input ?? Number.POSITIVE_INFINITY) + (model.pricing?.output ?? Number.POSITIVE_INFINITY)
  const cheapest = [...pool].sort((left, right) => cost(left) - cost(right) || left.id.localeCompare(right.id))[0]
  if (cheapest == null) throw new CliError('The gateway serves no chat model; pass --model.', exitCodes.userError)
  return cheapest.id
}
