import type { Socket, TCPSocketListener } from 'bun'

/**
 * A loopback TCP proxy that a test can cut and restore, to play a dependency outage (Redis going
 * away and coming back) without touching the shared service itself.
 */
export type CutProxy = { port: number; cut(): void; restore(): void; close(): void }

type Pair = { client: Socket<Pair>; upstream: Socket<Pair> | undefined; pending: Uint8Array[] }

export function startCutProxy(target: { host: string; port: number }): CutProxy {
  const pairs = new Set<Pair>()
  let listener: TCPSocketListener<Pair> | undefined
  let port = 0

  const listen = () => {
    listener = Bun.listen<Pair>({
      hostname: '127.0.0.1',
      port,
      socket: {
        open(client) {
          const pair: Pair = { client, upstream: undefined, pending: [] }
          client.data = pair
          pairs.add(pair)
          void Bun.connect<Pair>({
            hostname: target.host,
            port: target.port,
            data: pair,
            socket: {
              open(upstream) {
                pair.upstream = upstream
                for (const bytes of pair.pending) upstream.write(bytes)
                pair.pending = []
              },
              data(_upstream, bytes) {
                pair.client.write(bytes)
              },
              close() {
                pair.client.end()
              },
            },
          }).catch(() => client.end())
        },
        data(client, bytes) {
          const pair = client.data
          if (pair.upstream == null) pair.pending.push(new Uint8Array(bytes))
          else pair.upstream.write(bytes)
        },
        close(client) {
          client.data.upstream?.end()
          pairs.delete(client.data)
        },
      },
    })
    port = listener.port
  }
  listen()

  const cut = () => {
    listener?.stop(true)
    listener = undefined
    for (const pair of pairs) {
      pair.client.terminate()
      pair.upstream?.terminate()
    }
    pairs.clear()
  }

  return {
    get port() {
      return port
    },
    cut,
    restore() {
      if (listener == null) listen()
    },
    close: cut,
  }
}
