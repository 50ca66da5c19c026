/**
 * The fair baseline: the least a proxy on the same runtime can do. It reads the JSON body, forwards
 * it with fetch, and answers with the upstream's JSON (a stream is passed through untouched).
 *
 *   bun bench/minimal-proxy.ts --port 0 --upstream http://127.0.0.1:PORT/v1
 */
import { readFlag } from './read-flag.ts'

const upstreamUrl = `${readFlag(process.argv, '--upstream')}/chat/completions`
const upstreamHeaders = { 'content-type': 'application/json', authorization: 'Bearer anything' }

const server = Bun.serve({
  port: Number(readFlag(process.argv, '--port', '0')),
  hostname: '127.0.0.1',
  idleTimeout: 255,
  async fetch(request) {
    if (request.method === 'GET') return new Response('minimal proxy')
    const body = (await request.json()) as { stream?: unknown }
    const upstream = await fetch(upstreamUrl, {
      method: 'POST',
      headers: upstreamHeaders,
      body: JSON.stringify(body),
      signal: request.signal,
    })
    if (body.stream === true) {
      return new Response(upstream.body, { status: upstream.status, headers: { 'content-type': 'text/event-stream' } })
    }
    return Response.json(await upstream.json(), { status: upstream.status })
  },
})

console.log(`READY ${server.port}`)

// Exit on SIGTERM (the runner's stop signal) through process.exit, so a `bun --cpu-prof` run writes its profile.
process.on('SIGTERM', () => process.exit(0))
