import type { Store } from '../store/store.ts'

export type AuditEvent = { actor: string; action: string; target: string; before?: unknown; after?: unknown; requestId: string }
export type AuditRecorder = { record(event: AuditEvent): Promise<void> }

// Field names whose values never reach the audit log, whatever object they sit in.
const secretFieldPattern = /password|secret|raw|digest|token|hash/i

/** Copies a value with every secret-looking field replaced by "[redacted]". */
export function redactSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactSecrets)
  if (value == null || typeof value !== 'object') return value
  const copy: Record<string, unknown> = {}
  for (const [name, field] of Object.entries(value)) copy[name] = secretFieldPattern.test(name) ? '[redacted]' : redactSecrets(field)
  return copy
}

/**
 * Every mutation appends one row: who, what, to which object, the object before and after
 * (secrets redacted), and the request id. The tables refuse UPDATE and DELETE (triggers).
 */
export function createAuditRecorder(options: { store: Store; now?: () => number }): AuditRecorder {
  const now = options.now ?? Date.now
  const encode = (value: unknown) => (value === undefined ? null : JSON.stringify(redactSecrets(value)))
  return {
    async record(event) {
      await options.store.audit.append({
        actor: event.actor,
        action: event.action,
        target: event.target,
        before: encode(event.before),
        after: encode(event.after),
        requestId: event.requestId,
        createdAt: now(),
      })
    },
  }
}
