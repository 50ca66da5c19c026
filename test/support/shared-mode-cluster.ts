import { SQL } from 'bun'
import { createTestSchema } from '../../src/store/postgres/isolated-postgres-stores.ts'
import { createPostgresStore } from '../../src/store/postgres/postgres-store.ts'
import type { Store } from '../../src/store/store.ts'
import { type GatewayProcess, startGatewayProcess } from './start-gateway-process.ts'

export type SharedModeCluster = {
  processes: GatewayProcess[]
  adminToken: string
  /** The cluster's own schema, read directly to check the money. */
  store: Store
  close(): Promise<void>
}

/**
 * `count` real gateway processes in shared mode (PostgreSQL + Redis) for tests: a schema of their
 * own, a Redis key prefix no other test uses, one admin token, a config file, and the fake provider
 * as OpenAI. `extra` adds or overrides variables. `close` stops the processes and drops the schema.
 */
export async function startSharedModeCluster(options: {
  postgresUrl: string
  redisUrl: string
  count: number
  configFile: string
  upstreamUrl: string
  extra?: Record<string, string>
}): Promise<SharedModeCluster> {
  const admin = new SQL(options.postgresUrl, { max: 1 })
  const testSchema = await createTestSchema(admin, options.postgresUrl)
  const adminToken = `sy-admin-test-${crypto.randomUUID()}`
  const env = {
    SWITCHYARD_DATABASE_URL: testSchema.url,
    SWITCHYARD_REDIS_URL: options.redisUrl,
    SWITCHYARD_REDIS_KEY_PREFIX: `sy-test-${crypto.randomUUID()}:`,
    SWITCHYARD_ADMIN_TOKEN: adminToken,
    SWITCHYARD_CONFIG: options.configFile,
    SWITCHYARD_LOG_LEVEL: 'warn',
    OPENAI_API_KEY: 'sk-fake',
    OPENAI_BASE_URL: `${options.upstreamUrl}/v1`,
    ...options.extra,
  }
  const store = createPostgresStore(testSchema.url)
  const started = await Promise.allSettled(Array.from({ length: options.count }, () => startGatewayProcess({ env })))
  const processes = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []))
  const close = async () => {
    await Promise.all(processes.map((gateway) => gateway.stop()))
    await store.close()
    await testSchema.drop()
    await admin.close()
  }
  const failed = started.find((result) => result.status === 'rejected')
  if (failed != null) {
    await close()
    throw failed.reason
  }
  return { processes, adminToken, store, close }
}
