import type { LedgerEntry, RequestLogRow } from '../store.ts'

/**
 * Messages to the SQLite write worker (sqlite-write-worker.ts); each gets one reply with its id.
 * Batches travel as JSON text: postMessage's structured clone of 500 row objects cost the event
 * loop about as much as inserting them, while JSON.stringify plus one string copy costs a fraction
 * (0.23 against 1.7 µs a row). Explanations are the exception: each is already a JSON string, which
 * JSON would escape again, and an array of strings clones at 0.2 µs a row against JSON's 0.85.
 */
export type WriteRequest =
  | { id: number; op: 'open'; path: string }
  | { id: number; op: 'requestLog'; rowsJson: string }
  | { id: number; op: 'ledger'; entriesJson: string }
  | { id: number; op: 'explanations'; rows: ExplanationBatch }
  | { id: number; op: 'close' }

/** What the JSON text of a batch holds (every field is a string, number, boolean or null). */
export type RequestLogBatch = readonly RequestLogRow[]
export type LedgerBatch = readonly LedgerEntry[]

export type WriteReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; message: string }
export type ExplanationBatch = ReadonlyArray<[requestId: string, json: string, createdAt: number]>
