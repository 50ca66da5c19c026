import type { Fault, StatusFault } from './fake-provider-types.ts'

/** Everything that can bend one reply, merged from options, the model name and the fault queue. */
export type Directives = {
  delayMs: number
  chunkDelayMs: number
  hang: boolean
  failure: StatusFault | undefined
  cutAfterChunks: number | undefined
  errorAfterChunks: number | undefined
}

export function baseDirectives(chunkDelayMs: number): Directives {
  return {
    delayMs: 0,
    chunkDelayMs,
    hang: false,
    failure: undefined,
    cutAfterChunks: undefined,
    errorAfterChunks: undefined,
  }
}

// A directive must start the name or follow a non-alphanumeric character, so `hang` does not
// match inside `changelog`.
const boundary = '(?:^|[^a-z0-9])'
const failPattern = new RegExp(`${boundary}fail-(\\d{3})(?![0-9])`, 'i')
const slowPattern = new RegExp(`${boundary}slow-(\\d+)`, 'i')
const dripPattern = new RegExp(`${boundary}drip-(\\d+)`, 'i')
const cutPattern = new RegExp(`${boundary}cut-(\\d+)`, 'i')
const errorEventPattern = new RegExp(`${boundary}error-event-(\\d+)`, 'i')
const hangPattern = new RegExp(`${boundary}hang(?![a-z0-9])`, 'i')
const anyDirective = /fail-|slow-|drip-|cut-|error-event-|hang/i

function readNumber(pattern: RegExp, model: string): number | undefined {
  const match = pattern.exec(model)
  return match?.[1] == null ? undefined : Number(match[1])
}

/**
 * Stateless faults named in the model, so concurrent tests need no shared queue:
 * `fail-<status>` (429 adds `retry-after: 1`), `slow-<ms>` (delay before answering),
 * `drip-<ms>` (delay between chunks), `cut-<n>`, `error-event-<n>` and `hang`.
 */
export function readModelDirectives(model: string, directives: Directives): Directives {
  if (!anyDirective.test(model)) return directives
  const status = readNumber(failPattern, model)
  const failure: StatusFault | undefined =
    status == null ? undefined : { kind: 'status', status, ...(status === 429 ? { headers: { 'retry-after': '1' } } : {}) }
  return {
    delayMs: readNumber(slowPattern, model) ?? directives.delayMs,
    chunkDelayMs: readNumber(dripPattern, model) ?? directives.chunkDelayMs,
    hang: hangPattern.test(model) || directives.hang,
    failure: failure ?? directives.failure,
    cutAfterChunks: readNumber(cutPattern, model) ?? directives.cutAfterChunks,
    errorAfterChunks: readNumber(errorEventPattern, model) ?? directives.errorAfterChunks,
  }
}

/** Layers a queued or default fault over the directives from the model name. */
export function applyFault(directives: Directives, fault: Fault): Directives {
  switch (fault.kind) {
    case 'status':
      return { ...directives, failure: fault }
    case 'delay':
      return { ...directives, delayMs: fault.ms }
    case 'cut':
      return { ...directives, cutAfterChunks: fault.afterChunks }
    case 'hang':
      return { ...directives, hang: true }
    case 'error-event':
      return { ...directives, errorAfterChunks: fault.afterChunks }
  }
}
