import type { Context } from 'hono'
import type { PipelineOutcome } from '../pipeline/pipeline-types.ts'

const streamHeaders = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' }

/**
 * A pipeline outcome as an HTTP response; the request id header set by middleware is kept. The
 * outcome's headers go to Hono as one plain object (merged into the response's headers in one
 * pass) instead of a `c.header()` call each, which saved an entries array and a call per header.
 */
export function sendOutcome(c: Context, outcome: PipelineOutcome): Response {
  if (outcome.kind === 'stream') {
    for (const name in streamHeaders) c.header(name, streamHeaders[name as keyof typeof streamHeaders])
    return c.body(outcome.body, 200, outcome.headers)
  }
  c.header('content-type', 'application/json')
  return c.body(JSON.stringify(outcome.body), 200, outcome.headers)
}
