import { CliError, exitCodes } from './cli-context.ts'

type Method = 'GET' | 'POST' | 'DELETE'

export type ApiClient = {
  request<T>(method: Method, path: string, body?: unknown): Promise<T>
  /** The same, with the gateway's `x-request-id` (what `GET /api/v1/requests/{id}` explains). */
  requestWithId<T>(method: Method, path: string, body?: unknown): Promise<{ body: T; requestId: string | null }>
}

/**
 * Calls the gateway's HTTP API. Every failure becomes a CliError with the documented exit code:
 * 2 when the gateway cannot be reached, 1 for a 4xx, 3 for a 5xx.
 */
export function createApiClient(options: { baseUrl: string; token: string | undefined }): ApiClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '')
  const client: ApiClient = {
    async request<T>(method: Method, path: string, body?: unknown): Promise<T> {
      return (await client.requestWithId<T>(method, path, body)).body
    },
    async requestWithId<T>(method: Method, path: string, body?: unknown): Promise<{ body: T; requestId: string | null }> {
      const headers: Record<string, string> = { accept: 'application/json' }
      if (options.token != null) headers.authorization = `Bearer ${options.token}`
      if (body !== undefined) headers['content-type'] = 'application/json'
      let response: Response
      try {
        response = await fetch(`${baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
      } catch (error) {
        throw new CliError(`Cannot reach the gateway at ${baseUrl}: ${(error as Error).message}`, exitCodes.networkError)
      }
      const text = await response.text()
      const parsed = parseJson(text)
      if (!response.ok) {
        const message = readErrorMessage(parsed) ?? `HTTP ${response.status}`
        throw new CliError(message, response.status >= 500 ? exitCodes.serverError : exitCodes.userError, parsed)
      }
      return { body: parsed as T, requestId: response.headers.get('x-request-id') }
    },
  }
  return client
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

function readErrorMessage(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || !('error' in body)) return undefined
  const error = (body as { error: unknown }).error
  if (typeof error === 'object' && error !== null && 'message' in error) return String((error as { message: unknown }).message)
  return undefined
}
