import { z } from 'zod'

// Response bodies more than one spec table documents, declared once so the tables cannot drift
// apart while the route code behind them is shared.

/** The OpenAI-style list envelope: `{ object: 'list', data: [...] }`. */
export const listOf = (item: z.ZodType) => z.object({ object: z.literal('list'), data: z.array(item) })

/**
 * One request-log row as http/routes/admin-requests-routes.ts `viewRequest` renders it, for the
 * admin's and the user's request routes alike. Loose: plan steps add parent_request_id, step_index
 * and step_role, and a shaped answer output_excerpt.
 */
export const requestLogView = z.looseObject({
  id: z.string(),
  key_id: z.string().nullable(),
  endpoint: z.string(),
  model: z.string().nullable(),
  provider: z.string().nullable(),
  status: z.number().int(),
  error_code: z.string().nullable(),
  stream: z.boolean(),
  usage: z.object({
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    cached_input_tokens: z.number().int(),
    reasoning_tokens: z.number().int(),
  }),
  cost_micros: z.number().int(),
  cost_usd: z.number(),
  latency_ms: z.number().int(),
  ttft_ms: z.number().int().nullable(),
  created_at: z.string(),
})

/** The OpenAI error envelope (src/errors/) as a documented response body. */
export const errorEnvelope = z.object({ error: z.looseObject({ message: z.string(), type: z.string(), code: z.string().nullable() }) })
