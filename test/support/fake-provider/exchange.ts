/**
 * One request's life, so a client that goes away is counted once, and only while its reply is
 * still incomplete. Bun reports a disconnect both through `request.signal` and through the
 * reply stream's `cancel()`; either may come first.
 */
export type Exchange = {
  readonly signal: AbortSignal
  /** The reply is complete (or deliberately cut): a later disconnect is not an abort. */
  settle(): void
  /** The client went away. */
  noteAbort(): void
}

export function openExchange(signal: AbortSignal, onAbort: () => void): Exchange {
  let finished = false
  const exchange: Exchange = {
    signal,
    settle() {
      finished = true
    },
    noteAbort() {
      if (finished) return
      finished = true
      onAbort()
    },
  }
  signal.addEventListener('abort', () => exchange.noteAbort(), { once: true })
  return exchange
}

/** Resolves after `ms`, or as soon as the client aborts. */
export function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer)
      signal.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal.addEventListener('abort', done, { once: true })
  })
}
