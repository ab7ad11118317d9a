// The answer and impression tables over PGlite or Postgres, with the same SQL on both.
import type { Answer, Impression } from '../src/answer';
import { openPglite, openPostgres, type Db, type Row } from './db';
import { groupCommit } from './groupCommit';
import { createTables } from './schema';

/** An answer as `GET /api/answers` returns it: SPEC §4 plus the time the collector stored it. */
export type StoredAnswer = Answer & {
  receivedAt: string;
  /** Present (true) only on generated demo data (`npm run demo:seed`). */
  seeded?: true;
};

/** An impression as `GET /api/impressions` returns it (SPEC §5), plus when it was stored. */
export type StoredImpression = Impression & { receivedAt: string };

/** Optional filters: answered (or shown) in `[from, to)`, from one site. */
export interface Filters {
  from?: string | Date | undefined;
  to?: string | Date | undefined;
  site?: string | undefined;
}

/** How a batch went: new records, and copies of ids already stored. */
export interface InsertResult {
  inserted: number;
  duplicates: number;
}

/** The collector's store: answers and impressions de-duplicated by id, and the webhook queue's enqueueing. */
export interface Store {
  readonly kind: 'pglite' | 'postgres';
  /** The open database, for the webhook queue, scripts and tests. */
  readonly db: Db;
  /** Runs one parameterised statement on whichever backend is open. */
  query: Db['query'];
  /**
   * Stores validated answers in one statement; an id seen before is not stored again, which makes
   * the widget's at-least-once delivery exactly-once here. A resend may fill in a comment,
   * emotion words or the offered words the stored copy lacks. Each new answer is queued for every `webhooks` URL in
   * the same statement, so an answer is never stored without its deliveries. Calls made while
   * another is being stored share one statement (see groupCommit.ts); each gets its own counts.
   */
  insertAnswers(
    answers: readonly Answer[],
    options?: { seeded?: boolean; backdate?: boolean; webhooks?: readonly string[]; now?: Date },
  ): Promise<InsertResult>;
  /** Stores validated impressions, once per id; `backdate` records them as received when they happened (seeded data). */
  insertImpressions(impressions: readonly Impression[], options?: { backdate?: boolean }): Promise<InsertResult>;
  /** Stored answers, oldest received first. */
  listAnswers(filters?: Filters): Promise<StoredAnswer[]>;
  /** Stored impressions, oldest received first; `from`/`to` apply to when it was shown or dismissed. */
  listImpressions(filters?: Filters): Promise<StoredImpression[]>;
  /** Answers with these ids (the webhook payloads). */
  answersById(ids: readonly string[]): Promise<Map<string, StoredAnswer>>;
  /** Erases one person's answers (`user`) and, with them, their webhook deliveries; `webhooks` counts those not yet sent. */
  eraseUser(user: string): Promise<{ answers: number; webhooks: number }>;
  /** Erases answers and impressions received before `cutoff` (retention). */
  eraseReceivedBefore(cutoff: Date): Promise<{ answers: number; impressions: number }>;
  /** Every site that has answers, sorted. */
  sites(): Promise<string[]>;
  /** How many answers are stored. */
  count(): Promise<number>;
  /** Whether the database answers a trivial query. */
  ping(): Promise<boolean>;
  /** Flushes and closes the database; needed before another process opens the same PGlite directory. */
  close(): Promise<void>;
}

// jsonb_to_recordset turns the batch's JSON into rows in one parameter (arrays stay arrays), so a
// batch is one statement, however many answers it holds. Rows go in id order: two processes
// inserting overlapping batches then take row locks in the same order and cannot deadlock.
// A conflicting id may only fill in a missing comment, emotion words or offered words; the WHERE
// keeps a plain duplicate from writing anything, so it returns no row and counts as a duplicate.
// Words and the offer they were chosen from are kept as one pair (see `mergeWords`), so every
// stored chosen word stays among the stored offered ones.
const TAKE_WORDS = 'cardinality(answers.emotions) = 0 AND cardinality(EXCLUDED.emotions) > 0';
const TAKE_OFFERED = 'answers.offered IS NULL AND EXCLUDED.offered IS NOT NULL AND answers.emotions <@ EXCLUDED.offered';
const INSERT_ANSWERS = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
    id uuid, response_id text, touchpoint text, stage text, kind text, score int, emotions text[],
    offered text[], comment text, context jsonb, site text, "user" text, locale text, url text,
    answered_at timestamptz, received_at timestamptz)
), stored AS (
  INSERT INTO answers (id, response_id, touchpoint, stage, kind, score, emotions, offered, comment, context,
                       site, "user", locale, url, answered_at, seeded, received_at)
  SELECT id, response_id, touchpoint, stage, kind, score, emotions, offered, comment, context,
         site, "user", locale, url, answered_at, $2::boolean, COALESCE(received_at, now())
  FROM input ORDER BY id
  ON CONFLICT (id) DO UPDATE SET comment = COALESCE(answers.comment, EXCLUDED.comment),
    emotions = CASE WHEN ${TAKE_WORDS} THEN EXCLUDED.emotions ELSE answers.emotions END,
    offered = CASE
      WHEN ${TAKE_WORDS} THEN
        CASE WHEN EXCLUDED.offered IS NULL AND EXCLUDED.emotions <@ answers.offered THEN answers.offered ELSE EXCLUDED.offered END
      WHEN ${TAKE_OFFERED} THEN EXCLUDED.offered
      ELSE answers.offered END
    WHERE (answers.comment IS NULL AND EXCLUDED.comment IS NOT NULL) OR (${TAKE_WORDS}) OR (${TAKE_OFFERED})
  RETURNING id, (xmax = 0) AS inserted
), queued AS (
  INSERT INTO webhook_deliveries (answer_id, url, next_at, created_at)
  SELECT stored.id, hook.url, $3::timestamptz, $3::timestamptz
  FROM stored CROSS JOIN unnest($4::text[]) AS hook(url)
  WHERE stored.inserted
  ON CONFLICT DO NOTHING
)
SELECT id FROM stored WHERE inserted`;

const INSERT_IMPRESSIONS = `
WITH input AS (
  SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
    id uuid, response_id text, touchpoint text, stage text, site text, event text, at timestamptz, received_at timestamptz)
), stored AS (
  INSERT INTO impressions (id, response_id, touchpoint, stage, site, event, at, received_at)
  SELECT id, response_id, touchpoint, stage, site, event, at, COALESCE(received_at, now()) FROM input ORDER BY id
  ON CONFLICT (id) DO NOTHING
  RETURNING id
)
SELECT id FROM stored`;

const ANSWER_COLUMNS = `id, response_id, touchpoint, stage, kind, score, emotions, offered, comment, context, site, "user",
       locale, url, answered_at, received_at, seeded`;

// Filters are optional: a NULL parameter switches its condition off. `to` is exclusive.
const SELECT_ANSWERS = `
SELECT ${ANSWER_COLUMNS}
FROM answers
WHERE ($1::timestamptz IS NULL OR answered_at >= $1::timestamptz)
  AND ($2::timestamptz IS NULL OR answered_at < $2::timestamptz)
  AND ($3::text IS NULL OR site = $3::text)
ORDER BY received_at, answered_at, id`;

const SELECT_IMPRESSIONS = `
SELECT id, response_id, touchpoint, stage, site, event, at, received_at
FROM impressions
WHERE ($1::timestamptz IS NULL OR at >= $1::timestamptz)
  AND ($2::timestamptz IS NULL OR at < $2::timestamptz)
  AND ($3::text IS NULL OR site = $3::text)
ORDER BY received_at, at, id`;

/** `DELETE … RETURNING` counted: how many rows a statement erased. */
const erased = (table: string, where: string) =>
  `WITH gone AS (DELETE FROM ${table} WHERE ${where} RETURNING 1) SELECT count(*)::int AS n FROM gone`;

/** An empty comment carries nothing, and storing it would block a later real one from filling in. */
function blankToNull(text: string | undefined): string | null {
  return typeof text === 'string' && text.trim() !== '' ? text : null;
}

const contains = (outer: readonly string[] | undefined, inner: readonly string[]) => !!outer && inner.every((w) => outer.includes(w));

/**
 * What a resend of a stored answer may change about its words, as the SQL above does it: words
 * the first copy lacked come with the offer they were chosen from (the first copy's offer stays
 * when the resend names none and holds every new word), and a missing offer is filled in when it
 * holds the stored words. Taking the two as a pair keeps every chosen word among the offered.
 */
function mergeWords(first: Answer, next: Answer): void {
  if (first.emotions.length === 0 && next.emotions.length > 0) {
    if (!(next.offered === undefined && contains(first.offered, next.emotions))) first.offered = next.offered;
    first.emotions = next.emotions;
  } else if (first.offered === undefined && next.offered !== undefined && contains(next.offered, first.emotions)) {
    first.offered = next.offered;
  }
}

/**
 * One row per id: a repeat inside the batch is a duplicate that may fill in what the first copy
 * lacks, as a resend in a later batch would (one statement cannot update a row twice). Ids are
 * compared as the database does, in any letter case.
 */
function mergeRepeats(answers: readonly Answer[]): Answer[] {
  const byId = new Map<string, Answer>();
  for (const a of answers) {
    const first = byId.get(a.id.toLowerCase());
    if (!first) byId.set(a.id.toLowerCase(), { ...a });
    else {
      if (blankToNull(first.comment) === null && blankToNull(a.comment) !== null) first.comment = a.comment;
      mergeWords(first, a);
    }
  }
  return [...byId.values()];
}

/** Rows come back in SPEC §4 shape, so a client can treat them like the answers it posted. */
function rowToAnswer(row: Row): StoredAnswer {
  const answer: Record<string, unknown> = {
    id: row.id,
    responseId: row.response_id,
    touchpoint: row.touchpoint,
    stage: row.stage,
    kind: row.kind,
    score: row.score,
    emotions: row.emotions ?? [],
    offered: row.offered,
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
  return answer as StoredAnswer;
}

function rowToImpression(row: Row): StoredImpression {
  const impression: Record<string, unknown> = {
    id: row.id,
    responseId: row.response_id,
    touchpoint: row.touchpoint,
    stage: row.stage,
    site: row.site,
    event: row.event,
    at: new Date(row.at).toISOString(),
    v: 1,
    receivedAt: new Date(row.received_at).toISOString(),
  };
  for (const key of Object.keys(impression)) if (impression[key] === null) delete impression[key];
  return impression as StoredImpression;
}

/** `Date`, ISO text or undefined → ISO text or null, for a timestamptz parameter. */
function timeParam(value: string | Date | undefined): string | null {
  if (value === undefined || value === null || value === '') return null;
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a time: ${String(value)}`);
  return date.toISOString();
}

/** Deadlocks and serialization failures are the database's to retry, not the sender's. */
const RETRYABLE = new Set(['40P01', '40001']);

async function retrying<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (err) {
      if (attempt >= 3 || !RETRYABLE.has((err as { code?: string }).code ?? '')) throw err;
    }
  }
}

/** Records stored per statement at most when calls are grouped, and grouped statements at once on Postgres. */
const GROUP_MAX_RECORDS = 1_000;
const GROUP_PARALLEL = 4;

/** One `insertAnswers` call, as the group commit queues it. */
interface AnswerCall {
  records: readonly Answer[];
  seeded: boolean;
  backdate: boolean;
  webhooks: readonly string[];
  now: Date;
}

/** One `insertImpressions` call. */
interface ImpressionCall {
  records: readonly Impression[];
  backdate: boolean;
}

/**
 * Each call's counts from the ids a grouped statement stored: an id new to the store counts as
 * inserted for the first call that brought it, and as a duplicate for any other copy.
 */
function countNew(calls: readonly { records: readonly { id: string }[] }[], stored: readonly Row[]): InsertResult[] {
  const fresh = new Set(stored.map((row) => String(row.id).toLowerCase()));
  return calls.map(({ records }) => {
    let inserted = 0;
    for (const id of new Set(records.map((r) => r.id.toLowerCase()))) if (fresh.delete(id)) inserted++;
    return { inserted, duplicates: records.length - inserted };
  });
}

/** Where the store lives: PGlite in memory (neither given), PGlite in `pgliteDir`, or Postgres at `databaseUrl`. */
export interface StoreOptions {
  pgliteDir?: string | undefined;
  databaseUrl?: string | undefined;
  log?: (line: string) => void;
}

/** Opens the store and creates its tables if missing. */
export async function openStore({ pgliteDir, databaseUrl, log = (line) => console.error(line) }: StoreOptions = {}): Promise<Store> {
  const db = databaseUrl ? await openPostgres(databaseUrl, log) : await openPglite(pgliteDir);
  try {
    await createTables(db);
  } catch (err) {
    await db.close().catch(() => {});
    throw err;
  }

  const grouping = {
    size: (call: { records: readonly unknown[] }) => call.records.length,
    maxSize: GROUP_MAX_RECORDS,
    parallel: db.kind === 'pglite' ? 1 : GROUP_PARALLEL,
  };
  const storeAnswers = groupCommit<AnswerCall, InsertResult>(
    async (calls) => {
      const { seeded, backdate, webhooks } = calls[0]!;
      // Deliveries of a group are due from its first call's time on.
      const now = new Date(Math.min(...calls.map((c) => c.now.getTime())));
      const rows = mergeRepeats(calls.flatMap((c) => c.records)).map((a) => ({
        id: a.id,
        response_id: a.responseId,
        touchpoint: a.touchpoint,
        stage: a.stage ?? null,
        kind: a.kind,
        score: a.score ?? null,
        emotions: a.emotions,
        offered: a.offered ?? null,
        comment: blankToNull(a.comment),
        context: a.context ?? null,
        site: a.site ?? null,
        user: a.user ?? null,
        locale: a.locale ?? null,
        url: a.url ?? null,
        answered_at: a.answeredAt,
        received_at: backdate ? a.answeredAt : null,
      }));
      const { rows: result } = await retrying(() => db.query(INSERT_ANSWERS, [JSON.stringify(rows), seeded, now.toISOString(), webhooks]));
      return countNew(calls, result);
    },
    { ...grouping, key: (c) => JSON.stringify([c.seeded, c.backdate, c.webhooks]) },
  );
  const storeImpressions = groupCommit<ImpressionCall, InsertResult>(
    async (calls) => {
      const { backdate } = calls[0]!;
      const unique = [...new Map(calls.flatMap((c) => c.records).map((i) => [i.id.toLowerCase(), i])).values()];
      const rows = unique.map((i) => ({
        id: i.id,
        response_id: i.responseId,
        touchpoint: i.touchpoint,
        stage: i.stage ?? null,
        site: i.site ?? null,
        event: i.event,
        at: i.at,
        received_at: backdate ? i.at : null,
      }));
      const { rows: result } = await retrying(() => db.query(INSERT_IMPRESSIONS, [JSON.stringify(rows)]));
      return countNew(calls, result);
    },
    { ...grouping, key: (c) => String(c.backdate) },
  );

  const list = async (sql: string, { from, to, site }: Filters) =>
    (await db.query(sql, [timeParam(from), timeParam(to), site || null])).rows;

  return {
    kind: db.kind,
    db,
    query: (sql, params) => db.query(sql, params),

    insertAnswers(answers, { seeded = false, backdate = false, webhooks = [], now = new Date() } = {}) {
      if (answers.length === 0) return Promise.resolve({ inserted: 0, duplicates: 0 });
      return storeAnswers({ records: answers, seeded, backdate, webhooks, now });
    },

    insertImpressions(impressions, { backdate = false } = {}) {
      if (impressions.length === 0) return Promise.resolve({ inserted: 0, duplicates: 0 });
      return storeImpressions({ records: impressions, backdate });
    },

    async listAnswers(filters = {}) {
      return (await list(SELECT_ANSWERS, filters)).map(rowToAnswer);
    },

    async listImpressions(filters = {}) {
      return (await list(SELECT_IMPRESSIONS, filters)).map(rowToImpression);
    },

    async answersById(ids) {
      if (ids.length === 0) return new Map();
      const { rows } = await db.query(`SELECT ${ANSWER_COLUMNS} FROM answers WHERE id = ANY($1::uuid[])`, [ids]);
      return new Map(rows.map((row) => [String(row.id), rowToAnswer(row)]));
    },

    async eraseUser(user) {
      // Pending deliveries are counted before the delete cascades them away, in the same transaction.
      return db.transaction(async (tx) => {
        const pending = await tx.query(
          `SELECT count(*)::int AS n FROM webhook_deliveries d JOIN answers a ON a.id = d.answer_id WHERE a."user" = $1 AND d.state = 'pending'`,
          [user],
        );
        const answers = await tx.query(erased('answers', '"user" = $1'), [user]);
        return { answers: Number(answers.rows[0]?.n ?? 0), webhooks: Number(pending.rows[0]?.n ?? 0) };
      });
    },

    async eraseReceivedBefore(cutoff) {
      return db.transaction(async (tx) => {
        const answers = await tx.query(erased('answers', 'received_at < $1'), [cutoff.toISOString()]);
        const impressions = await tx.query(erased('impressions', 'received_at < $1'), [cutoff.toISOString()]);
        return { answers: Number(answers.rows[0]?.n ?? 0), impressions: Number(impressions.rows[0]?.n ?? 0) };
      });
    },

    async sites() {
      const { rows } = await db.query('SELECT DISTINCT site FROM answers WHERE site IS NOT NULL ORDER BY site');
      return rows.map((row) => String(row.site));
    },

    async count() {
      const { rows } = await db.query('SELECT count(*)::int AS n FROM answers');
      return Number(rows[0]?.n ?? 0);
    },

    async ping() {
      try {
        await db.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },

    close: () => db.close(),
  };
}
