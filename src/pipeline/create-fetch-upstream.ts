import { localProviderBaseUrl } from '../config/detect-providers.ts'
import { handleEchoRequest } from '../local-models/echo-upstream.ts'
import type { FetchUpstream } from './pipeline-types.ts'

/**
 * Real network calls go through the runtime's fetch (pooled keep-alive connections); the built-in
 * echo model is answered in-process at its pseudo base URL, through the same adapter path.
 */
export function createFetchUpstream(): FetchUpstream {
  return function fetchUpstream(request, signal) {
    if (request.url.startsWith(localProviderBaseUrl)) {
      return handleEchoRequest(new Request(request.url, { method: request.method, headers: request.headers, body: request.body, signal }))
    }
    return fetch(request.url, { method: request.method, headers: request.headers, body: request.body, signal })
  }
}
