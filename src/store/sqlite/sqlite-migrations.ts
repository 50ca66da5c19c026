import { deviceAuthorizationsMigration, requestLogParentPartialMigration, spendHoldsMigration } from '../portable-migrations.ts'

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
    version: 2,
    name: 'accounts',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        email TEXT NOT NULL UNIQUE,
        password_hash TEXT,
        balance_micros INTEGER NOT NULL DEFAULT 0,
        reserved_micros INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL
      );
      ALTER TABLE api_keys ADD COLUMN user_id TEXT REFERENCES users (id);
      ALTER TABLE api_keys ADD COLUMN limit_micros INTEGER;
      ALTER TABLE api_keys ADD COLUMN monthly_budget_micros INTEGER;
      ALTER TABLE api_keys ADD COLUMN rate_limits TEXT;
      ALTER TABLE api_keys ADD COLUMN allowed_models TEXT;
      ALTER TABLE api_keys ADD COLUMN expires_at INTEGER;
      ALTER TABLE api_keys ADD COLUMN spent_micros INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE api_keys ADD COLUMN spend_month TEXT NOT NULL DEFAULT '';
      ALTER TABLE api_keys ADD COLUMN month_spent_micros INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE api_keys ADD COLUMN reserved_micros INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX api_keys_user ON api_keys (user_id, created_at);
      CREATE INDEX api_keys_revoked ON api_keys (revoked_at);
      CREATE TABLE ledger (
        id TEXT PRIMARY KEY,
        user_id TEXT NOT NULL REFERENCES users (id),
        key_id TEXT,
        kind TEXT NOT NULL,
        amount_micros INTEGER NOT NULL,
        balance_after_micros INTEGER NOT NULL,
        note TEXT NOT NULL,
        actor TEXT NOT NULL,
        request_id TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX ledger_user_created ON ledger (user_id, created_at);
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        target TEXT NOT NULL,
        before_json TEXT,
        after_json TEXT,
        request_id TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER ledger_append_only_update BEFORE UPDATE ON ledger BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;
      CREATE TRIGGER ledger_append_only_delete BEFORE DELETE ON ledger BEGIN SELECT RAISE(ABORT, 'ledger is append-only'); END;
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
  requestLogParentPartialMigration,
  spendHoldsMigration,
  deviceAuthorizationsMigration,
]
