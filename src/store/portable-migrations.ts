// Migrations whose SQL is the same in both dialects, listed by sqlite-migrations.ts and
// postgres-migrations.ts at their version. Once released, never edited: add the next one.

/**
 * Only plan steps have a parent: indexing the NULL of every other request cost each logged request
 * a fifth of its insert time for nothing (docs/benchmarks.md). A lookup by parent id implies IS NOT
 * NULL, so it still uses this index.
 */
export const requestLogParentPartialMigration = {
  version: 31,
  name: 'request_log_parent_partial',
  sql: `
    DROP INDEX request_log_parent;
    CREATE INDEX request_log_parent ON request_log (parent_request_id, step_index) WHERE parent_request_id IS NOT NULL;
  `,
}

/**
 * Shared mode: one row per open reservation, leased by the process that made it. A process that
 * dies leaves its rows unrenewed; any replica's sweep releases them (docs/money.md).
 */
export const spendHoldsMigration = {
  version: 32,
  name: 'spend_holds',
  sql: `
    CREATE TABLE spend_holds (
      id TEXT PRIMARY KEY,
      user_id TEXT NOT NULL,
      key_id TEXT NOT NULL,
      held_micros BIGINT NOT NULL,
      owner TEXT NOT NULL,
      expires_at BIGINT NOT NULL
    );
    CREATE INDEX spend_holds_expires ON spend_holds (expires_at);
    CREATE INDEX spend_holds_owner ON spend_holds (owner);
  `,
}

/**
 * RFC 8628 device logins in the database, so any replica can take any step of one (start, the
 * /device page, the token poll). Rows live about twenty minutes.
 */
export const deviceAuthorizationsMigration = {
  version: 33,
  name: 'device_authorizations',
  sql: `
    CREATE TABLE device_authorizations (
      device_code_digest TEXT PRIMARY KEY,
      user_code TEXT NOT NULL UNIQUE,
      client_id TEXT NOT NULL,
      client_name TEXT NOT NULL,
      scope TEXT NOT NULL,
      expires_at BIGINT NOT NULL,
      interval_seconds INTEGER NOT NULL,
      last_polled_at BIGINT,
      state TEXT NOT NULL,
      user_id TEXT,
      failed_sign_ins INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX device_authorizations_expires ON device_authorizations (expires_at);
  `,
}
