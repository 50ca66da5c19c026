import type { LoadResult } from './load.ts'
import type { OpenStreamsResult } from './open-streams.ts'

export const targetNames = ['direct', 'minimal-proxy', 'switchyard', 'portkey'] as const
export type TargetName = (typeof targetNames)[number]

export type LatencySummary = { samples: number; p50Ms: number; p99Ms: number }

export type Check = { name: string; measured: string; goal: string; pass: boolean; note?: string }

/** Everything one run measured; written to bench/results/latest.json. */
export type BenchResults = {
  date: string
  quick: boolean
  machine: { cpus: number; cpuModel: string; platform: string; bun: string; node: string | null }
  loadTool: string
  connections: number
  durationSeconds: number
  skipped: Partial<Record<TargetName, string>>
  /** What a reader of the figures must know (a peer that failed a phase, and why). */
  notes: string[]
  throughput: Partial<Record<TargetName, LoadResult>>
  sequential: Partial<Record<TargetName, LatencySummary>>
  firstByte: Partial<Record<TargetName, LatencySummary>>
  streams: { default: OpenStreamsResult; raisedFetchLimit?: OpenStreamsResult }
  checks: Check[]
}
