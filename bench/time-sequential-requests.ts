export type TimedTarget = {
  name: string
  url: string
  headers: Record<string, string>
  body: string
  /** Share of the samples this target gets (a slow peer can take fewer to keep the run short). */
  share: number
}

export type TimingMode = 'full-response' | 'first-byte'

/**
 * One request at a time over a keep-alive connection, timed with Bun.nanoseconds(): either until
 * the whole body is read, or until the first body chunk arrives (streaming time to first byte).
 * Targets are interleaved round by round so that drift on a shared machine hits all of them alike.
 * Returns microseconds per target.
 */
export async function timeSequentialRequests(options: {
  targets: readonly TimedTarget[]
  mode: TimingMode
  requestsPerTarget: number
  rounds: number
  warmupRequests: number
}): Promise<Map<string, Float64Array>> {
  const { targets, mode, rounds } = options
  const samples = new Map<string, number[]>(targets.map((target) => [target.name, []]))
  for (const target of targets) {
    for (let index = 0; index < options.warmupRequests * target.share; index++) await timeOne(target, mode)
  }
  for (let round = 0; round < rounds; round++) {
    for (const target of targets) {
      const count = Math.max(1, Math.round((options.requestsPerTarget * target.share) / rounds))
      const targetSamples = samples.get(target.name) ?? []
      for (let index = 0; index < count; index++) targetSamples.push(await timeOne(target, mode))
    }
  }
  return new Map([...samples].map(([name, values]) => [name, Float64Array.from(values)]))
}

async function timeOne(target: TimedTarget, mode: TimingMode): Promise<number> {
  const started = Bun.nanoseconds()
  const response = await fetch(target.url, { method: 'POST', headers: target.headers, body: target.body })
  if (response.status !== 200 || response.body == null) {
    throw new Error(`${target.name} answered ${response.status}: ${(await response.text()).slice(0, 300)}`)
  }
  let elapsed: number
  if (mode === 'first-byte') {
    const reader = response.body.getReader()
    await reader.read()
    elapsed = Bun.nanoseconds() - started
    while (!(await reader.read()).done) {}
  } else {
    await response.arrayBuffer()
    elapsed = Bun.nanoseconds() - started
  }
  return elapsed / 1_000
}
