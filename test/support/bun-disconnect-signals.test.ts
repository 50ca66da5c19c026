import { afterAll, expect, test } from 'bun:test'

/**
 * The fake provider counts aborts through two Bun behaviours; this file pins both, so a Bun
 * upgrade that changes them fails here rather than as a mysterious e2e flake.
 */
const events: string[] = []
const encoder = new TextEncoder()
const server = Bun.serve({
  port: 0,
  hostname: '127.0.0.1',
  idleTimeout: 0,
  fetch(request) {
    const path = new URL(request.url).pathname
    request.signal.addEventListener('abort', () => events.push(`signal ${path}`))
    if (path === '/pending') return new Promise<Response>(() => {})
    if (path === '/plain') return Response.json({ ok: true })
    let count = 0
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        if (count > 0) await Bun.sleep(20)
        count += 1
        if (path === '/short' && count > 2) controller.close()
        else controller.enqueue(encoder.encode(`data: ${count}\n\n`))
      },
      cancel: () => {
        events.push(`cancel ${path}`)
      },
    })
    return new Response(body, { headers: { 'content-type': 'text/event-stream' } })
  },
})
const base = `http://127.0.0.1:${server.port}`

afterAll(() => server.stop(true))

async function waitFor(predicate: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 100 && !predicate(); attempt += 1) await Bun.sleep(10)
}

test('request.signal fires when the client leaves before the response starts', async () => {
  const abortController = new AbortController()
  const pending = fetch(`${base}/pending`, { signal: abortController.signal }).catch(() => 'aborted')
  await Bun.sleep(30)
  abortController.abort()
  expect(await pending).toBe('aborted')
  await waitFor(() => events.includes('signal /pending'))
  expect(events).toContain('signal /pending')
})

test('both request.signal and the body stream cancel() fire when the client leaves mid-stream', async () => {
  const abortController = new AbortController()
  const response = await fetch(`${base}/stream`, { signal: abortController.signal })
  await (response.body as ReadableStream<Uint8Array>).getReader().read()
  abortController.abort()
  await waitFor(() => events.includes('signal /stream') && events.includes('cancel /stream'))
  expect(events).toContain('signal /stream')
  expect(events).toContain('cancel /stream')
})

test('neither fires for responses that complete', async () => {
  await (await fetch(`${base}/plain`)).json()
  await (await fetch(`${base}/short`)).text()
  await Bun.sleep(100)
  expect(events.filter((event) => event.endsWith('/plain') || event.endsWith('/short'))).toEqual([])
})
