import type { Context } from 'hono'
import type { PipelineOutcome } from '../pipeline/pipeline-types.ts'

const streamHeaders = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' }

/** A pipeline outcome as an HTTP response; the request id header set by middleware is kept. */
export function sendOutcome(c: Context, outcome: PipelineOutcome): Response {
  for (const [name, value] of Object.entries(outcome.headers)) c.header(name, value)
  if (outcome.kind === 'stream') {
    for (const [name, value] of Object.entries(streamHeaders)) c.header(name, value)
    return c.body(outcome.body, 200)
  }
  c.header('content-type', 'application/json')
  return c.body(JSON.stringify(outcome.body), 200)
}
