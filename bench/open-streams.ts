/**
 * Opens many streaming chat requests through the gateway at once, over raw sockets (Bun's fetch
 * caps concurrent requests at 256), waits until each has its first SSE bytes, reads the gateway's
 * RSS, then closes every stream. Runs as its own process so its file-descriptor limit can be
 * raised; prints one JSON line.
 *
 *   bun bench/open-streams.ts --port P --key sk-sy-... --count 1000 --pid GATEWAY_PID --wait-ms 15000 --hold-ms 30000
 */
import type { Socket } from 'bun'
import { readFlag } from './read-flag.ts'
import { readRssMegabytes } from './read-rss.ts'

export type OpenStreamsResult = {
  requested: number
  connected: number
  withFirstBytes: number
  failed: number
  secondsUntilAllFirstBytes: number | null
  rssBeforeMegabytes: number
  rssWithStreamsMegabytes: number
}

const argv = process.argv
const port = Number(readFlag(argv, '--port'))
const count = Number(readFlag(argv, '--count'))
const gatewayPid = Number(readFlag(argv, '--pid'))
const waitMs = Number(readFlag(argv, '--wait-ms'))
const body = JSON.stringify({
  model: 'openai/gpt-4o-mini',
  messages: [{ role: 'user', content: 'Hold this stream open.' }],
  stream: true,
  bench_hold_ms: Number(readFlag(argv, '--hold-ms')),
})
const requestText = [
  'POST /v1/chat/completions HTTP/1.1',
  `Host: 127.0.0.1:${port}`,
  `Authorization: Bearer ${readFlag(argv, '--key')}`,
  'Content-Type: application/json',
  `Content-Length: ${Buffer.byteLength(body)}`,
  '',
  body,
].join('\r\n')

type StreamState = { received: string; firstBytes: boolean; failed: boolean }

const sockets: Socket<StreamState>[] = []
let withFirstBytes = 0
let failed = 0
const rssBeforeMegabytes = readRssMegabytes(gatewayPid)
const startedAt = performance.now()
let allFirstBytesAt: number | undefined

function settle(state: StreamState, outcome: 'first-bytes' | 'failed') {
  if (state.firstBytes || state.failed) return
  if (outcome === 'first-bytes') {
    state.firstBytes = true
    withFirstBytes++
    if (withFirstBytes === count) allFirstBytesAt = performance.now()
  } else {
    state.failed = true
    failed++
  }
}

for (let index = 0; index < count; index++) {
  try {
    const socket = await Bun.connect<StreamState>({
      hostname: '127.0.0.1',
      port,
      data: { received: '', firstBytes: false, failed: false },
      socket: {
        open(opened) {
          opened.write(requestText)
        },
        data(socket, chunk) {
          const state = socket.data
          if (state.firstBytes || state.failed) return
          state.received += chunk.toString()
          if (!state.received.startsWith('HTTP/1.1 200')) {
            if (state.received.includes('\r\n')) settle(state, 'failed')
          } else if (state.received.includes('data: ')) {
            settle(state, 'first-bytes')
          }
        },
        close(socket) {
          if (!socket.data.firstBytes) settle(socket.data, 'failed')
        },
        error(socket) {
          settle(socket.data, 'failed')
        },
      },
    })
    sockets.push(socket)
  } catch {
    failed++
  }
}

const deadline = performance.now() + waitMs
while (withFirstBytes + failed < count && performance.now() < deadline) await Bun.sleep(50)
// Let the gateway settle (buffers, timers) before sampling its memory.
await Bun.sleep(500)
const rssWithStreamsMegabytes = readRssMegabytes(gatewayPid)

const result: OpenStreamsResult = {
  requested: count,
  connected: sockets.length,
  withFirstBytes,
  failed,
  secondsUntilAllFirstBytes: allFirstBytesAt == null ? null : (allFirstBytesAt - startedAt) / 1_000,
  rssBeforeMegabytes,
  rssWithStreamsMegabytes,
}
for (const socket of sockets) socket.end()
console.log(JSON.stringify(result))
await Bun.sleep(200)
process.exit(0)
