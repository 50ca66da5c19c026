import type { ApiKeyAuthenticator } from '../../accounts/api-key-authenticator.ts'
import type { AdmissionTicket } from '../../limits/admission-ticket.ts'
import type { PipelineOutcome } from '../../pipeline/pipeline-types.ts'
import type { ApiKeyRecord } from '../../store/store.ts'
import { authenticateRequest } from '../authenticate-request.ts'
import { createRequestId } from '../create-request-id.ts'
import { parseJsonBody } from '../read-json-body.ts'
import { checkDeclaredLength, readLimitedBody } from '../read-limited-body.ts'
import type { FailedRequest, Failure } from '../render-failure.ts'
import type { Admission } from './admit-request.ts'
import type { DataPlaneEndpoint } from './data-plane-endpoints.ts'

export type DataPlaneFrontDeps = {
  authenticator: ApiKeyAuthenticator
  admission: Admission
  bodyLimitBytes: number
  now: () => number
  renderFailure: (thrown: unknown, request: FailedRequest) => Failure
}

const streamHeaders = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' }

/**
 * Serves one data-plane endpoint, from the Request to the Response, as straight-line code: our own
 * request id (a client's X-Request-Id is never trusted: the id keys the request log), the declared
 * body size, the API key and its scope, rate-limit admission, the JSON body, the endpoint, and one
 * error envelope for whatever fails. Bun's router calls this directly: no web framework sits on the
 * hot path, because its context object, middleware chain and header bookkeeping cost about a
 * fifth of a proxied request's CPU time (docs/benchmarks.md). Hono mounts the same function for
 * in-process callers (the MCP server), so both paths behave alike.
 */
export function serveDataPlaneEndpoint(endpoint: DataPlaneEndpoint, deps: DataPlaneFrontDeps): (request: Request) => Promise<Response> {
  const { authenticator, admission, bodyLimitBytes, now, renderFailure } = deps
  const { path, scope } = endpoint
  return async function serveDataPlaneRequest(request) {
    const startedAt = now()
    const requestId = createRequestId(startedAt)
    const headers: Record<string, string> = { 'x-request-id': requestId }
    let apiKey: ApiKeyRecord | undefined
    let ticket: AdmissionTicket | undefined
    try {
      const declaredLength = checkDeclaredLength(request.headers, bodyLimitBytes)
      // Both answer at once from memory in the usual case; only a promise is awaited.
      const authenticated = authenticateRequest(authenticator, request.headers, scope)
      apiKey = authenticated instanceof Promise ? await authenticated : authenticated
      const admitted = admission({ apiKey, contentLength: declaredLength, requestId }, headers)
      ticket = admitted instanceof Promise ? await admitted : admitted
      const body = parseJsonBody(await readLimitedBody(request, declaredLength, bodyLimitBytes))
      const outcome = await endpoint.run(body, {
        requestId,
        keyId: apiKey.id,
        endpoint: path,
        signal: request.signal,
        startedAt,
        onFinish: ticket,
        policyHeader: request.headers.get('x-switchyard-policy') ?? undefined,
        apiKey,
      })
      // A stream hands its ticket to the stream's end; a JSON answer is over now.
      if (outcome.kind === 'json') ticket?.finish(undefined)
      return outcomeResponse(outcome, headers)
    } catch (thrown) {
      ticket?.finish(undefined)
      const failure = renderFailure(thrown, { requestId, keyId: apiKey?.id ?? null, path, startedAt, signal: request.signal })
      for (const name in failure.headers) headers[name] = failure.headers[name] as string
      return new Response(failure.body, { status: failure.status, headers })
    }
  }
}

/** The outcome's headers join the front's (request id, rate limits) in one object, built once. */
function outcomeResponse(outcome: PipelineOutcome, headers: Record<string, string>): Response {
  for (const name in outcome.headers) headers[name] = outcome.headers[name] as string
  if (outcome.kind === 'stream') {
    for (const name in streamHeaders) headers[name] = streamHeaders[name as keyof typeof streamHeaders]
    return new Response(outcome.body, { headers })
  }
  headers['content-type'] = 'application/json'
  return new Response(JSON.stringify(outcome.body), { headers })
}
