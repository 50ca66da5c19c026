// A minimal statement runner both dialects provide, so the accounts queries (users, money, audit,
// usage) are written once. SQL uses `?` placeholders; the PostgreSQL runner numbers them.

export type SqlRow = Record<string, unknown>

export type SqlRunner = {
  readonly dialect: 'sqlite' | 'postgres'
  all(sql: string, parameters?: readonly unknown[]): Promise<SqlRow[]>
  /** Runs `body` in one transaction; a throw rolls everything back. */
  transaction<T>(body: (runner: SqlRunner) => Promise<T>): Promise<T>
}

/** `?` → `$1, $2, ...` for PostgreSQL. Our SQL never contains a literal question mark. */
export function numberPlaceholders(sql: string): string {
  let index = 0
  return sql.replace(/\?/g, () => `$${++index}`)
}
