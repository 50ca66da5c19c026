/**
 * A fast OpenAI-compatible upstream for the benchmark: answers POST /v1/chat/completions at once
 * with a small fixed completion, or (stream: true) a short SSE stream: five content chunks, a
 * finish chunk, a usage chunk and [DONE]. A body field `bench_hold_ms` (unknown to the gateway, so
 * forwarded as-is) makes it send the first chunk and then hold the stream open that long.
 *
 *   bun bench/fast-upstream.ts --port 0     prints "READY <port>" once listening on 127.0.0.1
 */
import { readFlag } from './read-flag.ts'

const encoder = new TextEncoder()
const created = 1_700_000_000
const usage = { prompt_tokens: 9, completion_tokens: 5, total_tokens: 14 }

const completionBody = JSON.stringify({
  id: 'chatcmpl-bench',
  object: 'chat.completion',
  created,
  model: 'gpt-4o-mini',
  choices: [{ index: 0, message: { role: 'assistant', content: 'Hello from the fast upstream!' }, finish_reason: 'stop' }],
  usage,
})

function frame(value: unknown): Uint8Array {
  return encoder.encode(`data: ${JSON.stringify(value)}\n\n`)
}

function chunk(delta: Record<string, string>, finishReason: string | null): Uint8Array {
  return frame({
    id: 'chatcmpl-bench',
    object: 'chat.completion.chunk',
    created,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  })
}

const firstFrame = chunk({ role: 'assistant', content: 'Hello' }, null)
const restFrames = [
  ...[' from', ' the', ' fast', ' upstream'].map((content) => chunk({ content }, null)),
  chunk({}, 'stop'),
  frame({ id: 'chatcmpl-bench', object: 'chat.completion.chunk', created, model: 'gpt-4o-mini', choices: [], usage }),
  encoder.encode('data: [DONE]\n\n'),
]

const jsonHeaders = { 'content-type': 'application/json' }
const streamHeaders = { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' }

function streamResponse(holdMs: number): Response {
  let timer: ReturnType<typeof setTimeout> | undefined
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(firstFrame)
      const finish = () => {
        for (const part of restFrames) controller.enqueue(part)
        controller.close()
      }
      if (holdMs > 0) timer = setTimeout(finish, holdMs)
      else finish()
    },
    cancel() {
      if (timer != null) clearTimeout(timer)
    },
  })
  return new Response(body, { headers: streamHeaders })
}

const server = Bun.serve({
  port: Number(readFlag(process.argv, '--port', '0')),
  hostname: '127.0.0.1',
  idleTimeout: 255,
  async fetch(request) {
    const path = new URL(request.url).pathname
    if (request.method === 'GET') return new Response('fast upstream')
    if (path !== '/v1/chat/completions') return new Response('not found', { status: 404 })
    const body = (await request.json()) as { stream?: unknown; bench_hold_ms?: unknown }
    if (body.stream !== true) return new Response(completionBody, { headers: jsonHeaders })
    return streamResponse(typeof body.bench_hold_ms === 'number' ? body.bench_hold_ms : 0)
  },
})

console.log(`READY ${server.port}`)

// Exit on SIGTERM (the runner's stop signal) through process.exit, so a `bun --cpu-prof` run writes its profile.
process.on('SIGTERM', () => process.exit(0))
