/** A database or Redis URL may carry a password; it never goes into a message or a log line. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return parsed.toString()
  } catch {
    return 'the configured URL'
  }
}
