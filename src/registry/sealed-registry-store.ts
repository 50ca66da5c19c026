import { GatewayError } from '../errors/gateway-error.ts'
import { isSealed, type SecretBox } from '../secrets/secret-box.ts'
import type { RegistryEntryRow, RoutingStore } from '../store/routing-store.ts'

type RegistryStore = RoutingStore['registry']

/** Binds a sealed spec to its row: a spec copied onto another provider does not open. */
const contextOf = (row: RegistryEntryRow) => `registry:${row.kind}:${row.id}`

const isProviderSpec = (row: RegistryEntryRow): row is RegistryEntryRow & { spec: string } => row.kind === 'provider' && row.spec != null

/**
 * The registry store with providers' specs (base URL, API key, extra headers) sealed at rest
 * (secrets/secret-box.ts). Rows are opened as they are listed, so everything above sees plaintext.
 * A row that cannot be opened (a wrong or missing key) is left out and reported: the provider is
 * not served rather than called with garbage credentials. Without a box (PostgreSQL and no
 * SWITCHYARD_SECRET_KEY), a provider spec holding a credential is refused.
 */
export function sealRegistryStore(store: RegistryStore, box: SecretBox | undefined, onError: (error: unknown) => void): RegistryStore {
  return {
    async list() {
      const opened: RegistryEntryRow[] = []
      for (const row of await store.list()) {
        if (!isProviderSpec(row) || !isSealed(row.spec)) {
          opened.push(row)
          continue
        }
        try {
          if (box == null) throw new Error('no secret key is set (SWITCHYARD_SECRET_KEY)')
          opened.push({ ...row, spec: box.open(row.spec, contextOf(row)) })
        } catch (error) {
          onError(new Error(`Provider ${row.id} is not served: its stored credentials cannot be opened: ${(error as Error).message}`))
        }
      }
      return opened
    },
    async put(row) {
      if (!isProviderSpec(row)) return store.put(row)
      if (box != null) return store.put({ ...row, spec: box.seal(row.spec, contextOf(row)) })
      if (holdsCredential(row.spec)) {
        throw new GatewayError(
          'invalid_request',
          'Provider credentials are stored encrypted, and this gateway has no key for that: set SWITCHYARD_SECRET_KEY (the same on every replica).',
          { param: 'api_key' },
        )
      }
      return store.put(row)
    },
    version: () => store.version(),
  }
}

/**
 * Seals every provider row still stored in plaintext (written before sealing existed) or sealed
 * with the previous key (a rotation); returns how many it rewrote. Run once at start.
 */
export async function resealRegistry(store: RegistryStore, box: SecretBox | undefined): Promise<number> {
  if (box == null) return 0
  let rewritten = 0
  for (const row of await store.list()) {
    if (!isProviderSpec(row) || box.isCurrent(row.spec)) continue
    const plaintext = isSealed(row.spec) ? openOrUndefined(box, row) : row.spec
    if (plaintext === undefined) continue
    await store.put({ ...row, spec: box.seal(plaintext, contextOf(row)) })
    rewritten++
  }
  return rewritten
}

function openOrUndefined(box: SecretBox, row: RegistryEntryRow & { spec: string }): string | undefined {
  try {
    return box.open(row.spec, contextOf(row))
  } catch {
    return undefined // listed later with the reason (sealRegistryStore.list)
  }
}

function holdsCredential(spec: string): boolean {
  const parsed = JSON.parse(spec) as { api_key?: unknown; headers?: Record<string, unknown> }
  return (typeof parsed.api_key === 'string' && parsed.api_key !== '') || Object.keys(parsed.headers ?? {}).length > 0
}
