/**
 * The environment of a gateway process in shared mode (PostgreSQL + Redis) for tests: its own
 * schema, a Redis key prefix no other test uses, an admin token, a config file, and the fake
 * provider as OpenAI. `extra` adds or overrides variables.
 */
export function sharedModeEnv(options: {
  databaseUrl: string
  redisUrl: string
  adminToken: string
  configFile: string
  upstreamUrl: string
  extra?: Record<string, string>
}): Record<string, string> {
  return {
    SWITCHYARD_DATABASE_URL: options.databaseUrl,
    SWITCHYARD_REDIS_URL: options.redisUrl,
    SWITCHYARD_REDIS_KEY_PREFIX: `sy-test-${crypto.randomUUID()}:`,
    SWITCHYARD_ADMIN_TOKEN: options.adminToken,
    SWITCHYARD_CONFIG: options.configFile,
    SWITCHYARD_LOG_LEVEL: 'warn',
    OPENAI_API_KEY: 'sk-fake',
    OPENAI_BASE_URL: `${options.upstreamUrl}/v1`,
    ...options.extra,
  }
}
