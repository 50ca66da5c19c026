// Numbered, forward-only, and in step with sqlite-migrations.ts: version N means the same schema in
// both dialects. A migration, once released, is never edited: add the next one.
//
// Times and micro-dollars are BIGINT (epoch milliseconds and large balances overflow INTEGER).
// Identifiers that we sort on use COLLATE "C" so that ties order by bytes, as they do in SQLite,
// whatever collation the database was created with.
export const postgresMigrations: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE api_keys (
        id TEXT COLLATE "C" PRIMARY KEY,
        name TEXT NOT NULL,
        key_prefix TEXT NOT NULL,
        digest TEXT NOT NULL UNIQUE,
        scopes TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        revoked_at BIGINT
      );
      CREATE TABLE request_log (
        request_id TEXT COLLATE "C" PRIMARY KEY,
        key_id TEXT,
        endpoint TEXT NOT NULL,
        model TEXT,
        provider TEXT,
        status INTEGER NOT NULL,
        error_code TEXT,
        stream BOOLEAN NOT NULL,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        cached_input_tokens INTEGER NOT NULL,
        reasoning_tokens INTEGER NOT NULL,
        cost_micros BIGINT NOT NULL,
        latency_ms INTEGER NOT NULL,
        ttft_ms INTEGER,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX request_log_key_created ON request_log (key_id, created_at);
      CREATE INDEX request_log_created ON request_log (created_at);
      CREATE TABLE settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    version: 10,
    name: 'routing explanations and bandit arms',
    sql: `
      CREATE TABLE routing_explanations (
        request_id TEXT COLLATE "C" PRIMARY KEY,
        explanation TEXT NOT NULL,
        created_at BIGINT NOT NULL
      );
      CREATE INDEX routing_explanations_created ON routing_explanations (created_at);
      CREATE TABLE routing_bandit_arms (
        arm TEXT COLLATE "C" PRIMARY KEY,
        count DOUBLE PRECISION NOT NULL,
        reward_sum DOUBLE PRECISION NOT NULL,
        updated_at BIGINT NOT NULL
      );
    `,
  },
  {
    version: 11,
    name: 'routing registry entries (admin API)',
    sql: `
      CREATE TABLE routing_registry_entries (
        kind TEXT COLLATE "C" NOT NULL,
        id TEXT COLLATE "C" NOT NULL,
        spec TEXT,
        disabled BOOLEAN NOT NULL,
        updated_at BIGINT NOT NULL,
        PRIMARY KEY (kind, id)
      );
    `,
  },
  // 20–29: the agent surface (device-flow login sessions).
  {
    version: 20,
    name: 'auth_sessions',
    sql: `
      CREATE TABLE auth_sessions (
        id TEXT COLLATE "C" PRIMARY KEY,
        user_id TEXT NOT NULL,
        digest TEXT NOT NULL UNIQUE,
        client_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        created_at BIGINT NOT NULL,
        expires_at BIGINT NOT NULL,
        revoked_at BIGINT
      );
      CREATE INDEX auth_sessions_user ON auth_sessions (user_id);
    `,
  },
  {
    // /v1/plan: one row per model call, tied to the plan's own row (issue 6).
    version: 30,
    name: 'request_log_plan_steps',
    sql: `
      ALTER TABLE request_log ADD COLUMN parent_request_id TEXT COLLATE "C";
      ALTER TABLE request_log ADD COLUMN step_index INTEGER;
      ALTER TABLE request_log ADD COLUMN step_role TEXT;
      ALTER TABLE request_log ADD COLUMN output_excerpt TEXT;
      CREATE INDEX request_log_parent ON request_log (parent_request_id, step_index);
    `,
  },
]
