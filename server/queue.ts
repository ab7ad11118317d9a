// The webhook queue table: which answer goes to which URL, when to try next, and what happened.
// Rows are claimed with a lease (FOR UPDATE SKIP LOCKED), so several processes on one database
// never send the same delivery at once, and a process that dies mid-send leaves its rows to be
// taken again once the lease runs out. Times are the caller's clock, so tests can move it.
import type { Db } from './db';

/** One claimed delivery. */
export interface Delivery {
  answerId: string;
  url: string;
  /** This attempt's number, 1 for the first. */
  attempt: number;
  createdAt: Date;
}

const CLAIM = `
UPDATE webhook_deliveries d
SET lease_until = $1::timestamptz + make_interval(secs => $3::float8 / 1000), attempts = d.attempts + 1
FROM (
  SELECT answer_id, url FROM webhook_deliveries
  WHERE state = 'pending' AND url = ANY($4::text[]) AND next_at <= $1::timestamptz
    AND (lease_until IS NULL OR lease_until <= $1::timestamptz)
  ORDER BY next_at
  LIMIT $2
  FOR UPDATE SKIP LOCKED
) due
WHERE d.answer_id = due.answer_id AND d.url = due.url
RETURNING d.answer_id, d.url, d.attempts, d.created_at`;

/** The queue over an open database. */
export function webhookQueue(db: Db) {
  return {
    /** Takes up to `limit` due deliveries to `urls` for `leaseMs`; nobody else takes them meanwhile. */
    async claim(urls: readonly string[], now: Date, limit: number, leaseMs: number): Promise<Delivery[]> {
      const { rows } = await db.query(CLAIM, [now.toISOString(), limit, leaseMs, urls]);
      return rows.map((row) => ({
        answerId: String(row.answer_id),
        url: String(row.url),
        attempt: Number(row.attempts),
        createdAt: new Date(row.created_at),
      }));
    },

    /** A 2xx: never sent again. */
    async delivered(d: Delivery, now: Date): Promise<void> {
      await db.query(
        `UPDATE webhook_deliveries SET state = 'delivered', delivered_at = $3, lease_until = NULL, last_error = NULL
         WHERE answer_id = $1 AND url = $2`,
        [d.answerId, d.url, now.toISOString()],
      );
    },

    /** A failure: tried again at `nextAt`, or given up (`failed`) when `nextAt` is undefined. */
    async failed(d: Delivery, error: string, nextAt: Date | undefined): Promise<void> {
      await db.query(
        `UPDATE webhook_deliveries
         SET state = CASE WHEN $3::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
             next_at = COALESCE($3::timestamptz, next_at), lease_until = NULL, last_error = $4
         WHERE answer_id = $1 AND url = $2`,
        [d.answerId, d.url, nextAt?.toISOString() ?? null, error.slice(0, 500)],
      );
    },

    /** A delivery whose answer is gone (erased meanwhile) has nothing left to send. */
    async drop(d: Delivery): Promise<void> {
      await db.query('DELETE FROM webhook_deliveries WHERE answer_id = $1 AND url = $2', [d.answerId, d.url]);
    },
  };
}
