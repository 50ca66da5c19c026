/**
 * A loopback fake LLM provider for end-to-end tests and benchmarks. One port speaks OpenAI
 * (`/v1/chat/completions`, `/v1/completions`, `/v1/embeddings`, `/v1/models`), Anthropic
 * (`/v1/messages`) and Gemini (`/v1beta/models/{model}:generateContent`, `:streamGenerateContent`,
 * `:batchEmbedContents`).
 *
 * It replies `echo: <last user text>` with deterministic usage (prompt tokens = words in the
 * messages, completion tokens = words in the reply), or a `get_weather` tool call when the request
 * offers tools and the last user message mentions `weather`.
 *
 * Faults come from the handle (`enqueue`, then `setDefault`) or, statelessly so tests can run
 * concurrently, from the model name: `fail-<status>` (429 adds `retry-after: 1`), `slow-<ms>`
 * (delay before answering), `drip-<ms>` (delay between chunks), `cut-<n>`, `error-event-<n>` and
 * `hang`. A queued or default fault layers over the model name's.
 */
import { buildErrorBody } from './fake-provider/error-bodies.ts'
import { type Exchange, openExchange } from './fake-provider/exchange.ts'
import type { FakeProviderHandle, FakeProviderOptions, Fault, RecordedRequest } from './fake-provider/fake-provider-types.ts'

export type { ScriptedAnswer } from './fake-provider/scripted-answers.ts'

import { applyFault, baseDirectives, readModelDirectives } from './fake-provider/fault-directives.ts'
import { parseBody } from './fake-provider/json-value.ts'
import { readApiKey } from './fake-provider/read-api-key.ts'
import { routeRequest } from './fake-provider/route-request.ts'
import { createScriptBook } from './fake-provider/scripted-answers.ts'
import { sendReply } from './fake-provider/send-reply.ts'

export type {
  FakeProviderHandle,
  FakeProviderOptions,
  Fault,
  RecordedRequest,
  WireFormat,
} from './fake-provider/fake-provider-types.ts'

const defaultModels = ['fake-model', 'fake-embedding-model', 'claude-fake', 'gemini-fake']

export function startFakeProvider(options: FakeProviderOptions = {}): FakeProviderHandle {
  const chunkDelayMs = options.chunkDelayMs ?? 0
  const cutGraceMs = options.cutGraceMs ?? 50
  const recordRequests = options.recordRequests ?? true
  const models = options.models ?? defaultModels
  const requests: RecordedRequest[] = []
  const queue: Fault[] = []
  let defaultFault: Fault | undefined
  const scripts = createScriptBook()
  let aborts = 0
  let sequence = 0
  /** Releases for hanging requests, so `close()` does not leave them parked. */
  const parked = new Set<() => void>()

  const countAbort = (): void => {
    aborts += 1
  }

  const holdOpen = (signal: AbortSignal): Promise<void> =>
    new Promise((resolve) => {
      const release = (): void => {
        parked.delete(release)
        resolve()
      }
      parked.add(release)
      signal.addEventListener('abort', release, { once: true })
    })

  async function answer(request: Request): Promise<Response> {
    const exchange: Exchange = openExchange(request.signal, countAbort)
    const url = new URL(request.url)
    const hasBody = request.method !== 'GET' && request.method !== 'HEAD'
    const body = hasBody ? parseBody(await request.text()) : undefined
    if (recordRequests) {
      requests.push({
        path: url.pathname,
        search: url.search,
        method: request.method,
        headers: Object.fromEntries(request.headers),
        body,
        receivedAt: Date.now(),
      })
    }
    const endpoint = routeRequest({
      method: request.method,
      url,
      headers: request.headers,
      body,
      models,
    })
    if (endpoint == null) {
      exchange.settle()
      const message = `No route for ${request.method} ${url.pathname}`
      return Response.json(buildErrorBody('openai', 404, message), { status: 404 })
    }
    const { buildReply } = endpoint
    if (buildReply == null) {
      exchange.settle()
      const errorBody = buildErrorBody(endpoint.format, 400, 'The request body must be a JSON object.')
      return Response.json(errorBody, { status: 400 })
    }
    let directives = baseDirectives(chunkDelayMs)
    const scripted = endpoint.injectsFaults ? scripts.take(endpoint.model, body) : undefined
    if (typeof scripted === 'object') directives = applyFault(directives, { kind: 'status', status: scripted.status })
    if (endpoint.injectsFaults) {
      directives = readModelDirectives(endpoint.model, directives)
      const fault = queue.shift() ?? defaultFault
      if (fault != null) directives = applyFault(directives, fault)
    }
    sequence += 1
    const context = {
      sequence,
      created: Math.floor(Date.now() / 1000),
      ...(typeof scripted === 'string' ? { scriptedText: scripted } : {}),
    }
    return sendReply({
      format: endpoint.format,
      streamed: endpoint.streamed,
      build: () => buildReply(context),
      directives,
      exchange,
      apiKey: readApiKey(request.headers, url),
      cutGraceMs,
      holdOpen,
    })
  }

  // `idleTimeout: 0`: a hanging request must stay open until the client gives up.
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', idleTimeout: 0, fetch: answer })
  const port = server.port ?? 0
  const url = `http://127.0.0.1:${port}`

  return {
    url,
    port,
    requests,
    get aborts() {
      return aborts
    },
    enqueue(...faults) {
      queue.push(...faults)
    },
    setDefault(fault) {
      defaultFault = fault
    },
    script(model, answers) {
      scripts.set(model, answers)
    },
    reset() {
      scripts.clear()
      queue.length = 0
      requests.length = 0
      defaultFault = undefined
      aborts = 0
    },
    async waitForAborts(count, timeoutMs = 2000) {
      const deadline = Date.now() + timeoutMs
      while (aborts < count) {
        if (Date.now() > deadline) {
          throw new Error(`Expected ${count} aborted request(s), saw ${aborts} within ${timeoutMs} ms`)
        }
        await Bun.sleep(5)
      }
    },
    async close() {
      for (const release of [...parked]) release()
      await server.stop(true)
    },
  }
}
