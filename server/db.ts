// One connection interface over both backends: PGlite (embedded, the default) and a real Postgres
// server through the `pg` driver (DATABASE_URL). The store speaks plain SQL with `$n` parameters
// that both understand; only how a connection and a transaction are made differs.
import type { PGlite } from '@electric-sql/pglite';

/** Rows are whatever the SQL selects; the store turns them into typed records. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a row's shape is the SELECT's, not the driver's
export type Row = Record<string, any>;

/** Runs one parameterised statement. */
export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
}

/** An open database: statements, transactions, and close. */
export interface Db extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** The PGlite instance (PGlite only), for ad-hoc SQL in scripts and tests. */
  readonly pg: PGlite | undefined;
  /** Several statements in one string, no parameters (the schema). */
  exec(sql: string): Promise<void>;
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** PGlite: embedded Postgres in WebAssembly, in memory or in a directory (one process at a time). */
export async function openPglite(dir: string | undefined): Promise<Db> {
  const { PGlite } = await import('@electric-sql/pglite');
  const pg = dir ? new PGlite(dir) : new PGlite();
  await pg.waitReady;
  return {
    kind: 'pglite',
    pg,
    query: (sql, params) => pg.query<Row>(sql, params),
    exec: async (sql) => {
      await pg.exec(sql);
    },
    transaction: (fn) => pg.transaction((tx) => fn({ query: (sql, params) => tx.query<Row>(sql, params) })),
    async close() {
      if (!pg.closed) await pg.close();
    },
  };
}

/** Connections per process: enough for concurrent batches, few enough for several processes on one server. */
const POOL_SIZE = 8;

/** A Postgres server through `pg`, loaded only when asked for. */
export async function openPostgres(databaseUrl: string, log: (line: string) => void): Promise<Db> {
  let Pool: typeof import('pg').Pool;
  try {
    ({ Pool } = (await import('pg')).default);
  } catch (err) {
    throw new Error(`DATABASE_URL is set but the pg driver cannot be loaded (npm install pg): ${(err as Error).message}`, { cause: err });
  }
  const pool = new Pool({ connectionString: databaseUrl, max: POOL_SIZE, connectionTimeoutMillis: 10_000 });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', (err) => log(`[collector] postgres: ${err.message}`));
  let closed = false;
  return {
    kind: 'postgres',
    pg: undefined,
    query: (sql, params) => pool.query(sql, params),
    exec: async (sql) => {
      await pool.query(sql);
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: (sql, params) => client.query(sql, params) });
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      await pool.end();
    },
  };
}
