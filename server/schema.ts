// The collector's tables, created when missing. Several processes may start at once on one
// Postgres server: an advisory lock makes them create the tables one after the other, since
// concurrent CREATE TABLE IF NOT EXISTS can still collide in Postgres's catalog.
import type { Db } from './db';

/** Any constant shared by every moodpoint process; it only names the lock. */
const SCHEMA_LOCK = 7_220_402_611;

const TABLES = `
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
-- Added after the first release: a store made before it gets the column, its old rows NULL.
ALTER TABLE answers ADD COLUMN IF NOT EXISTS offered text[];
CREATE INDEX IF NOT EXISTS answers_received_at ON answers (received_at);
CREATE INDEX IF NOT EXISTS answers_answered_at ON answers (answered_at);
CREATE INDEX IF NOT EXISTS answers_user ON answers ("user") WHERE "user" IS NOT NULL;

CREATE TABLE IF NOT EXISTS impressions (
  id uuid PRIMARY KEY,
  response_id text NOT NULL,
  touchpoint text NOT NULL,
  stage text,
  site text,
  event text NOT NULL,
  at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS impressions_received_at ON impressions (received_at);
CREATE INDEX IF NOT EXISTS impressions_at ON impressions (at);

-- One row per stored answer and webhook URL, erased with its answer.
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  answer_id uuid NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
  url text NOT NULL,
  state text NOT NULL DEFAULT 'pending',
  attempts int NOT NULL DEFAULT 0,
  next_at timestamptz NOT NULL,
  lease_until timestamptz,
  last_error text,
  created_at timestamptz NOT NULL,
  delivered_at timestamptz,
  PRIMARY KEY (answer_id, url)
);
CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (next_at) WHERE state = 'pending';
`;

/** Creates whatever tables are missing; existing data (an older demo store too) is kept. */
export async function createTables(db: Db): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [SCHEMA_LOCK]);
    for (const statement of TABLES.split(';')
      .map((s) => s.trim())
      .filter(Boolean))
      await tx.query(statement);
  });
}
