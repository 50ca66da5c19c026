import { z } from 'zod'
import { routingFileSchema } from './routing-config.ts'

// The shape of switchyard.yaml. Everything is optional: with no file at all the gateway runs on
// providers detected from the environment and the built-in catalogue.

const pricingSchema = z.strictObject({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
  cached_input: z.number().nonnegative().optional(),
  cache_write: z.number().nonnegative().optional(),
})

const capabilitySchema = z.enum(['tools', 'vision', 'json', 'json_schema', 'reasoning', 'completions'])

export const providerFileSchema = z.strictObject({
  /** `openai-compatible`, `anthropic`, `gemini`, or a known vendor id (`groq`, `ollama`...). */
  type: z.string().min(1),
  base_url: z.url().optional(),
  api_key: z.string().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  query: z.string().optional(),
  accepts_unlisted_models: z.boolean().optional(),
  accepts_stream_options: z.boolean().optional(),
})

export const modelFileSchema = z.strictObject({
  provider: z.string().min(1),
  model: z.string().min(1),
  id: z.string().min(1).optional(),
  kind: z.enum(['chat', 'embeddings']).optional(),
  context_window: z.number().int().positive().optional(),
  max_output_tokens: z.number().int().positive().optional(),
  pricing: pricingSchema.optional(),
  capabilities: z.array(capabilitySchema).optional(),
  aliases: z.array(z.string().min(1)).optional(),
})

export const configFileSchema = z.strictObject({
  server: z
    .strictObject({
      port: z.number().int().min(0).max(65_535).optional(),
      host: z.string().min(1).optional(),
      body_limit_mb: z.number().positive().max(1024).optional(),
      upstream_timeout_ms: z.number().int().positive().optional(),
    })
    .optional(),
  database_url: z.string().min(1).optional(),
  redis_url: z.string().min(1).optional(),
  redis_key_prefix: z.string().optional(),
  /** Default per-key rate limits; null = unlimited. */
  rate_limits: z
    .strictObject({
      burst_rps: z.number().int().positive().nullable().optional(),
      requests_per_minute: z.number().int().positive().nullable().optional(),
      tokens_per_minute: z.number().int().positive().nullable().optional(),
      max_concurrent: z.number().int().positive().nullable().optional(),
    })
    .optional(),
  topup: z
    .strictObject({
      min_usd: z.number().positive().optional(),
      max_usd: z.number().positive().optional(),
      success_url: z.url().optional(),
      cancel_url: z.url().optional(),
    })
    .optional(),
  providers: z.record(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, - and _'), providerFileSchema).optional(),
  models: z.array(modelFileSchema).optional(),
  aliases: z.record(z.string(), z.string()).optional(),
  routing: routingFileSchema.optional(),
})

export type ConfigFile = z.infer<typeof configFileSchema>
export type ProviderFileEntry = z.infer<typeof providerFileSchema>
export type ModelFileEntry = z.infer<typeof modelFileSchema>
