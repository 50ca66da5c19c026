import { readFileSync } from 'node:fs'

/** A process's resident set size in MB, from /proc/<pid>/status (VmRSS); NaN where /proc is missing. */
export function readRssMegabytes(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8')
    const kilobytes = Number(/^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1])
    return kilobytes / 1024
  } catch {
    return Number.NaN
  }
}
