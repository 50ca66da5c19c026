/**
 * The promise's outcome, or a rejection after `ms` milliseconds: for a dependency that might never
 * answer (a black-holed connection, a client that retries forever). The work itself is not
 * cancelled; the caller closes whatever it belongs to.
 */
export async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([promise, deadline])
  } finally {
    clearTimeout(timer)
  }
}
