// Numbered, forward-only. A migration, once released, is never edited: add the next one.
export const sqliteMigrations: ReadonlyArray<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'initial',
    sql: `
      CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        key_prefix TEXT NOT NULL,
        digest TEXT NOT NULL UNIQUE,
        scopes TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE TABLE request_log (
        request_id TEXT PRIMARY KEY,
        key_id TEXT,
        endpoint TEXT NOT NULL,
        model TEXT,
        provider TEXT,
        status INTEGER NOT NULL,
        error_code TEXT,
        stream INTEGER NOT NULL,
        input_tokens INTEGER NOT NULL,
        output_tokens INTEGER NOT NULL,
        cached_input_tokens INTEGER NOT NULL,
        reasoning_tokens INTEGER NOT NULL,
        cost_micros INTEGER NOT NULL,
        latency_ms INTEGER NOT NULL,
        ttft_ms INTEGER,
        created_at INTEGER NOT NULL
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
        request_id TEXT PRIMARY KEY,
        explanation TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX routing_explanations_created ON routing_explanations (created_at);
      CREATE TABLE routing_bandit_arms (
        arm TEXT PRIMARY KEY,
        count REAL NOT NULL,
        reward_sum REAL NOT NULL,
        updated_at INTEGER NOT NULL
      );
    `,
  },
  {
    version: 11,
    name: 'routing registry entries (admin API)',
    sql: `
      CREATE TABLE routing_registry_entries (
        kind TEXT NOT NULL,
        id TEXT NOT NULL,
        spec TEXT,
        disabled INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
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
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL,
        digest TEXT NOT NULL UNIQUE,
        client_id TEXT NOT NULL,
        scope TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        revoked_at INTEGER
      );
      CREATE INDEX auth_sessions_user ON auth_sessions (user_id);
    `,
  },
  {
    // /v1/plan: one row per model call, tied to the plan's own row (issue 6).
    version: 30,
    name: 'request_log_plan_steps',
    sql: `
      ALTER TABLE request_log ADD COLUMN parent_request_id TEXT;
      ALTER TABLE request_log ADD COLUMN step_index INTEGER;
      ALTER TABLE request_log ADD COLUMN step_role TEXT;
      ALTER TABLE request_log ADD COLUMN output_excerpt TEXT;
      CREATE INDEX request_log_parent ON request_log (parent_request_id, step_index);
    `,
  },
]
