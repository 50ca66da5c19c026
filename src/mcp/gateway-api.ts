/** The gateway's own HTTP API, called in process with the MCP caller's bearer token. */
export type GatewayApi = {
  call(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<{ status: number; body: unknown }>
  /** The same API with another of the caller's own credentials (an `sk-sy-` key for the data plane). */
  withBearer(bearer: string): GatewayApi
}

export type FetchApp = (request: Request) => Response | Promise<Response>

/**
 * Tools are clients of the public API, not of internals: they keep working whatever the
 * management API's implementation becomes, and they get exactly the caller's permissions.
 */
export function createGatewayApi(options: { fetchApp: FetchApp; baseUrl: string; bearer: string }): GatewayApi {
  return {
    withBearer: (bearer) => createGatewayApi({ ...options, bearer }),
    async call(method, path, body) {
      const headers: Record<string, string> = { authorization: `Bearer ${options.bearer}`, accept: 'application/json' }
      if (body !== undefined) headers['content-type'] = 'application/json'
      const response = await options.fetchApp(
        new Request(`${options.baseUrl}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) }),
      )
      const text = await response.text()
      let parsed: unknown = text
      try {
        parsed = JSON.parse(text)
      } catch {
        // Not JSON: keep the text, the tool reports it as is.
      }
      return { status: response.status, body: parsed }
    },
  }
}
