import { GatewayError } from '../errors/gateway-error.ts'
import type { Store, UserRecord } from '../store/store.ts'
import { newId } from './api-key-secret.ts'
import type { AuditRecorder } from './audit-recorder.ts'
import type { SpendLedger } from './money/spend-ledger.ts'

/** Seam 4: a password check for sign-in pages (device flow). */
export type CredentialVerifier = (email: string, password: string) => Promise<{ userId: string; email: string } | undefined>

export type UserView = { id: string; email: string; balance_usd: number; balance_micros: number; created_at: string }

export type UsersService = {
  create(input: { email: string; password: string | undefined; actor: string; requestId: string }): Promise<UserView>
  list(): Promise<UserView[]>
  get(id: string): Promise<UserView | undefined>
  findByEmail(email: string): Promise<UserRecord | undefined>
  verifyCredentials: CredentialVerifier
}

const minimumPasswordLength = 8
// A real hash to compare against when the email is unknown, so both paths take the same time.
// Made on first use: hashing at import would slow every CLI command.
let decoyHash: Promise<string> | undefined
const getDecoyHash = () => {
  decoyHash ??= Bun.password.hash('switchyard-decoy-password', { algorithm: 'argon2id' })
  return decoyHash
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase()
}

export function createUsersService(options: { store: Store; ledger: SpendLedger; audit: AuditRecorder; now?: () => number }): UsersService {
  const { store, ledger, audit } = options
  const now = options.now ?? Date.now

  async function view(record: UserRecord): Promise<UserView> {
    const { balanceMicros } = await ledger.balance(record.id)
    return {
      id: record.id,
      email: record.email,
      balance_usd: balanceMicros / 1_000_000,
      balance_micros: balanceMicros,
      created_at: new Date(record.createdAt).toISOString(),
    }
  }

  return {
    async create(input) {
      const email = normalizeEmail(input.email)
      if (!/^[^\s@]+@[^\s@]+$/.test(email))
        throw new GatewayError('invalid_request', '`email` must be an email address.', { param: 'email' })
      if (input.password != null && input.password.length < minimumPasswordLength) {
        throw new GatewayError('invalid_request', `\`password\` must be at least ${minimumPasswordLength} characters.`, {
          param: 'password',
        })
      }
      if ((await store.users.findByEmail(email)) != null) {
        throw new GatewayError('invalid_request', `A user with the email ${email} already exists.`, { param: 'email', status: 409 })
      }
      // argon2id (memory-hard) through Bun's built-in binding: a stolen database does not yield passwords.
      const passwordHash = input.password == null ? null : await Bun.password.hash(input.password, { algorithm: 'argon2id' })
      const record: UserRecord = { id: newId('usr'), email, passwordHash, createdAt: now() }
      await store.users.insert(record)
      await audit.record({ actor: input.actor, action: 'user.create', target: record.id, after: { email }, requestId: input.requestId })
      return view(record)
    },
    async list() {
      return Promise.all((await store.users.list()).map(view))
    },
    async get(id) {
      const record = await store.users.get(id)
      return record == null ? undefined : view(record)
    },
    findByEmail: (email) => store.users.findByEmail(normalizeEmail(email)),
    async verifyCredentials(email, password) {
      const record = await store.users.findByEmail(normalizeEmail(email))
      if (record?.passwordHash == null) {
        await Bun.password.verify(password, await getDecoyHash())
        return undefined
      }
      return (await Bun.password.verify(password, record.passwordHash)) ? { userId: record.id, email: record.email } : undefined
    },
  }
}
