export const modernProtocolVersion = '2026-07-28'

export const mcpServerName = 'switchyard'

export const mcpInstructions =
  'Switchyard LLM gateway. Typical agent sequence: keys_create (write the raw key to the project .env at once), ' +
  'chat to verify, usage and balance to watch spend. When the balance is empty, call topup and give checkout_url to your human: never pay.'
