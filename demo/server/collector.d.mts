import type { Store } from './store.mjs';

export type { Store, StoredAnswer } from './store.mjs';

export interface CollectorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** PGlite directory; undefined keeps answers in memory. */
  dataDir?: string;
  /** A Postgres server (`postgres://user:pass@host:5432/db`) instead of PGlite. */
  databaseUrl?: string;
  /** Origins allowed cross-origin (`'*'` for any); defaults to the collector's own origin. */
  allowedOrigins?: string[];
  /** Answer posts per IP address and window (429 with Retry-After beyond); `false` for none. */
  rateLimit?: { max: number; windowMs: number } | false;
  /** Widget configs whose touchpoints order the report's journey; default: the demo shop's. */
  siteConfigs?: unknown[];
  /** Extra static mounts, `{ '/prefix/': '/abs/dir' }`. */
  staticRoutes?: Record<string, string>;
  /** Receives one line per request error; defaults to console.error. */
  log?: (line: string) => void;
}

export interface Collector {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  port: number;
  db: Store;
  /** Makes answer posts fail on purpose (tests): `'drop'` cuts the connection; `undefined` restores normal service. */
  setFault(
    fn:
      ((req: import('node:http').IncomingMessage) => 'drop' | { status: number; headers?: Record<string, string> } | undefined) | undefined,
  ): void;
  close(): Promise<void>;
}

/** Largest accepted request body, in bytes. */
export const MAX_BODY_BYTES: number;
/** Most answers accepted in one request. */
export const MAX_ANSWERS: number;
/** The default per-IP limit on answer posts. */
export const DEFAULT_RATE_LIMIT: { max: number; windowMs: number };

/** Starts the reference collector (answers API, report, exports, demo shop, dashboard). */
export function startCollector(options?: CollectorOptions): Promise<Collector>;
