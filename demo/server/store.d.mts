import type { PGlite } from '@electric-sql/pglite';

/** An answer as `GET /api/answers` returns it: SPEC §4 plus the time the collector stored it. */
export interface StoredAnswer {
  id: string;
  responseId: string;
  touchpoint: string;
  stage?: string;
  kind: 'nps' | 'ces' | 'emotion' | 'comment';
  score?: number;
  emotions: string[];
  comment?: string;
  context?: Record<string, string | number | boolean | null>;
  site?: string;
  user?: string;
  locale?: string;
  url?: string;
  answeredAt: string;
  v: 1;
  receivedAt: string;
  /** Present (true) only on generated demo data (`npm run demo:seed`). */
  seeded?: true;
}

/** Optional filters: answered in `[from, to)`, from one site. */
export interface AnswerFilters {
  from?: string | Date;
  to?: string | Date;
  site?: string;
}

/** The answers table; de-duplicates by answer id. */
export interface Store {
  kind: 'pglite' | 'postgres';
  /** The PGlite instance; undefined on Postgres. */
  pg: PGlite | undefined;
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, any>[] }>; // eslint-disable-line @typescript-eslint/no-explicit-any -- rows are whatever the SQL selects
  insertAnswers(
    answers: ReadonlyArray<Record<string, unknown>>,
    options?: { seeded?: boolean; backdate?: boolean },
  ): Promise<{ inserted: number; duplicates: number }>;
  listAnswers(filters?: AnswerFilters): Promise<StoredAnswer[]>;
  sites(): Promise<string[]>;
  count(): Promise<number>;
  close(): Promise<void>;
}

/** PGlite in memory (no argument), PGlite in a directory, or a Postgres server (`databaseUrl`). */
export function openStore(options?: string | { dataDir?: string; databaseUrl?: string }): Promise<Store>;
