import { PGlite } from '@electric-sql/pglite';

// One schema and one set of queries for both backends: PGlite (embedded, the default) and a
// real Postgres server through the `pg` driver (DATABASE_URL). Only `$n` parameters and plain
// SQL that both speak; the two differ only in how a connection and a transaction are made.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS answers (
  id uuid PRIMARY KEY,
  response_id text NOT NULL,
  touchpoint text NOT NULL,
  stage text,
  kind text NOT NULL,
  score int,
  emotions text[] NOT NULL DEFAULT '{}',
  comment text,
  context jsonb,
  site text,
  "user" text,
  locale text,
  url text,
  answered_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  seeded boolean NOT NULL DEFAULT false
);
CREATE INDEX IF NOT EXISTS answers_received_at ON answers (received_at);
CREATE INDEX IF NOT EXISTS answers_answered_at ON answers (answered_at);
`;

// A resend of a known id may only fill in a comment or emotion words the first copy lacked; the WHERE keeps a
// plain duplicate from writing anything, so it returns no row and counts as a duplicate.
const INSERT = `
INSERT INTO answers (id, response_id, touchpoint, stage, kind, score, emotions, comment, context,
                     site, "user", locale, url, answered_at, seeded, received_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14, $15, COALESCE($16::timestamptz, now()))
ON CONFLICT (id) DO UPDATE SET comment = COALESCE(answers.comment, EXCLUDED.comment),
  emotions = CASE WHEN cardinality(answers.emotions) = 0 THEN EXCLUDED.emotions ELSE answers.emotions END
  WHERE (answers.comment IS NULL AND EXCLUDED.comment IS NOT NULL)
     OR (cardinality(answers.emotions) = 0 AND cardinality(EXCLUDED.emotions) > 0)
RETURNING (xmax = 0) AS inserted`;

// Filters are optional: a NULL parameter switches its condition off. `to` is exclusive.
const SELECT = `
SELECT id, response_id, touchpoint, stage, kind, score, emotions, comment, context, site, "user",
       locale, url, answered_at, received_at, seeded
FROM answers
WHERE ($1::timestamptz IS NULL OR answered_at >= $1::timestamptz)
  AND ($2::timestamptz IS NULL OR answered_at < $2::timestamptz)
  AND ($3::text IS NULL OR site = $3::text)
ORDER BY received_at, answered_at, id`;

const COUNT = `SELECT count(*)::int AS n FROM answers`;

const SITES = `SELECT DISTINCT site FROM answers WHERE site IS NOT NULL ORDER BY site`;

/** An empty comment carries nothing, and storing it would block a later real one from filling in. */
function blankToNull(text) {
  return typeof text === 'string' && text.trim() !== '' ? text : null;
}

/** Rows come back in SPEC §4 shape, so a client can treat them like the answers it posted. */
function rowToAnswer(row) {
  const answer = {
    id: row.id,
    responseId: row.response_id,
    touchpoint: row.touchpoint,
    stage: row.stage,
    kind: row.kind,
    score: row.score,
    emotions: row.emotions ?? [],
    comment: row.comment,
    context: row.context,
    site: row.site,
    user: row.user,
    locale: row.locale,
    url: row.url,
    answeredAt: new Date(row.answered_at).toISOString(),
    v: 1,
    receivedAt: new Date(row.received_at).toISOString(),
    // Generated demo data says so; a real answer has no such key.
    seeded: row.seeded ? true : null,
  };
  // Optional fields are absent rather than null, as in the posted answers.
  for (const key of Object.keys(answer)) if (answer[key] === null) delete answer[key];
  return answer;
}

/** PGlite: embedded Postgres in WebAssembly, in memory or in a directory. */
async function pgliteDb(dataDir) {
  const pg = dataDir ? new PGlite(dataDir) : new PGlite();
  await pg.waitReady;
  return {
    kind: 'pglite',
    pg,
    exec: (sql) => pg.exec(sql),
    query: (sql, params) => pg.query(sql, params),
    transaction: (fn) => pg.transaction((tx) => fn({ query: (sql, params) => tx.query(sql, params) })),
    async close() {
      if (!pg.closed) await pg.close();
    },
  };
}

/** A real Postgres server through `pg` (loaded only when asked for, so PGlite users need no driver). */
async function postgresDb(databaseUrl) {
  let pgModule;
  try {
    pgModule = (await import('pg')).default;
  } catch (err) {
    throw new Error(`DATABASE_URL is set but the pg driver is not installed (npm install pg): ${err.message}`, { cause: err });
  }
  const pool = new pgModule.Pool({ connectionString: databaseUrl, max: 5, connectionTimeoutMillis: 10_000 });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', (err) => console.error(`[collector] postgres: ${err.message}`));
  let closed = false;
  return {
    kind: 'postgres',
    pool,
    exec: (sql) => pool.query(sql),
    query: (sql, params) => pool.query(sql, params),
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

/** `Date`, ISO text or undefined → ISO text or null, for a timestamptz parameter. */
function timeParam(value) {
  if (value === undefined || value === null || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a time: ${String(value)}`);
  return date.toISOString();
}

/**
 * Opens the answer database.
 * - `openStore()` or `openStore(undefined)`: PGlite in memory (tests, throwaway demos).
 * - `openStore(dir)` or `openStore({ dataDir })`: PGlite persisted in `dir`; one process at a time.
 * - `openStore({ databaseUrl })`: a Postgres server via `pg`; same schema, same queries.
 * @param {string | { dataDir?: string, databaseUrl?: string }} [options]
 */
export async function openStore(options) {
  const { dataDir, databaseUrl } = typeof options === 'object' && options !== null ? options : { dataDir: options };
  const db = databaseUrl ? await postgresDb(databaseUrl) : await pgliteDb(dataDir);
  try {
    await db.exec(SCHEMA);
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }

  return {
    /** `'pglite'` or `'postgres'`. */
    kind: db.kind,
    /** The PGlite instance (PGlite only), for ad-hoc SQL in scripts and tests. */
    pg: db.pg,
    /** Runs one parameterised statement on whichever backend is open. */
    query: (sql, params) => db.query(sql, params),

    /**
     * Stores validated answers in one transaction; an id seen before is not stored again,
     * which is what makes the widget's at-least-once delivery exactly-once here.
     * @param {Array<Record<string, any>>} answers
     * @param {{ seeded?: boolean, backdate?: boolean }} [options] `seeded` marks generated demo
     *   data; `backdate` records each answer as received when it was answered (generated history).
     * @returns {Promise<{ inserted: number, duplicates: number }>}
     */
    async insertAnswers(answers, { seeded = false, backdate = false } = {}) {
      return db.transaction(async (tx) => {
        let inserted = 0;
        for (const a of answers) {
          const { rows } = await tx.query(INSERT, [
            a.id,
            a.responseId,
            a.touchpoint,
            a.stage ?? null,
            a.kind,
            a.score ?? null,
            a.emotions ?? [],
            blankToNull(a.comment),
            a.context === undefined ? null : JSON.stringify(a.context),
            a.site ?? null,
            a.user ?? null,
            a.locale ?? null,
            a.url ?? null,
            a.answeredAt,
            seeded,
            backdate ? a.answeredAt : null,
          ]);
          if (rows[0]?.inserted) inserted += 1;
        }
        return { inserted, duplicates: answers.length - inserted };
      });
    },

    /**
     * Stored answers, oldest received first, optionally only those answered in `[from, to)`
     * and from one `site`.
     * @param {{ from?: string | Date, to?: string | Date, site?: string }} [filters]
     * @returns {Promise<Array<Record<string, unknown>>>}
     */
    async listAnswers({ from, to, site } = {}) {
      const { rows } = await db.query(SELECT, [timeParam(from), timeParam(to), site || null]);
      return rows.map(rowToAnswer);
    },

    /** Every site that has answers, sorted. */
    async sites() {
      const { rows } = await db.query(SITES);
      return rows.map((row) => row.site);
    },

    /** How many answers are stored. */
    async count() {
      const { rows } = await db.query(COUNT);
      return rows[0].n;
    },

    /** Flushes and closes the database; needed before another store opens the same directory. */
    close: () => db.close(),
  };
}
