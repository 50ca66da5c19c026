/** The credential a request carried, in whichever place its format puts it. */
export function readApiKey(headers: Headers, url: URL): string | undefined {
  const authorization = headers.get('authorization')
  if (authorization?.toLowerCase().startsWith('bearer ')) return authorization.slice(7)
  const key = headers.get('x-api-key') ?? headers.get('x-goog-api-key') ?? url.searchParams.get('key')
  return key ?? undefined
}
