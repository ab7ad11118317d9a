// One collector process: the store, the HTTP app on @hono/node-server, the webhook worker and
// the retention timer, with a close that finishes what is in flight before the store shuts.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { createApp, type Fault } from './app';
import { tokenChecker } from './auth';
import { createRateLimiter } from './ratelimit';
import { startRetention } from './retention';
import { openStore, type Store } from './store';
import { startWebhooks, type WebhookOptions, type WebhookWorker } from './webhooks';

export type { Store, StoredAnswer, StoredImpression } from './store';
export type { Fault, FaultVerdict } from './app';

/** Answers accepted in one request; the widget sends at most 50. */
export { MAX_RECORDS as MAX_ANSWERS } from './ingest';

/** Default per-IP limit on answer posts: generous enough for a busy office behind one NAT address. */
const DEFAULT_RATE_LIMIT = { max: 600, windowMs: 60_000 };

/** How long a close waits for requests in flight before it cuts their connections. */
const DRAIN_MS = 10_000;

export interface CollectorOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** PGlite directory; with neither this nor `databaseUrl`, answers are kept in memory. */
  pgliteDir?: string | undefined;
  /** A Postgres server (`postgres://user:pass@host:5432/db`) instead of PGlite. */
  databaseUrl?: string | undefined;
  /** What `Authorization: Bearer …` must carry on every route that reads or erases answers. */
  readToken: string;
  /** Origins allowed cross-origin (`'*'` for any); defaults to the collector's own origin. */
  allowedOrigins?: readonly string[] | undefined;
  /** Answer posts per IP address and window (429 with Retry-After beyond); `false` for none. */
  rateLimit?: { max: number; windowMs: number } | false;
  /** Widget configs (SPEC §3) whose touchpoints order the report's journey and give CES scales. */
  siteConfigs?: readonly unknown[];
  /** Extra static mounts, `{ '/prefix/': '/abs/dir' }`. */
  staticRoutes?: Record<string, string>;
  /** Forward each new answer to these URLs, signed with the secret. */
  webhooks?: WebhookOptions | undefined;
  /** Erase answers and impressions received more than this many days ago, at start and daily. */
  retentionDays?: number | undefined;
  /** The time, for webhook schedules and retention; tests move it. */
  clock?: () => number;
  /** Receives one line per request error and per notable event; defaults to console.error. */
  log?: (line: string) => void;
}

export interface Collector {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  port: number;
  db: Store;
  /**
   * Makes answer posts fail on purpose (tests): `fn(req)` gets the Node request and returns
   * `'drop'` (the connection is cut), a status with optional headers, or undefined for normal service.
   */
  setFault(fn: Fault | undefined): void;
  /** Stops accepting requests, lets those in flight finish, stops the webhook worker, then closes the store. */
  close(): Promise<void>;
}

/** Starts a collector: the answers API (SPEC §5, §10), report, exports, dashboard and static mounts. */
export async function startCollector(options: CollectorOptions): Promise<Collector> {
  const {
    port = 0,
    host = '127.0.0.1',
    rateLimit = DEFAULT_RATE_LIMIT,
    siteConfigs = [],
    staticRoutes = {},
    clock = Date.now,
    log = (line: string) => console.error(line),
  } = options;
  const checkToken = tokenChecker(options.readToken);
  const limiter = rateLimit ? createRateLimiter(rateLimit) : undefined;
  const store = await openStore({ pgliteDir: options.pgliteDir, databaseUrl: options.databaseUrl, log });
  let fault: Fault | undefined;
  let origins: readonly string[] = options.allowedOrigins ? [...options.allowedOrigins] : [];
  let closing = false;
  let inFlight = 0;
  let settled: (() => void) | undefined;
  let webhooks: WebhookWorker | undefined;
  // Before the first request: a process started after a long stop erases what expired meanwhile.
  const retention = options.retentionDays ? startRetention({ store, days: options.retentionDays, now: clock, log }) : undefined;
  await retention?.first;

  const app = createApp({
    store,
    checkToken,
    origins: () => origins,
    limiter,
    siteConfigs,
    staticRoutes,
    webhookUrls: options.webhooks?.urls ?? [],
    now: clock,
    onStored: () => webhooks?.poke(),
    fault: () => fault,
    closing: () => closing,
    log,
  });
  const server = createAdaptorServer({
    // Counted from the first byte to the handler's answer, so a close can wait for stores in progress.
    fetch: async (request, env) => {
      inFlight += 1;
      try {
        return await app.fetch(request, env);
      } finally {
        inFlight -= 1;
        if (inFlight === 0) settled?.();
      }
    },
    overrideGlobalObjects: false,
  }) as Server;
  server.on('clientError', (err: NodeJS.ErrnoException, socket) => {
    if (err.code !== 'ECONNRESET') log(`[collector] client error: ${err.message}`);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await retention?.close();
    await store.close().catch(() => {});
    throw err;
  }
  const actualPort = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  if (!options.allowedOrigins) origins = [url];

  if (options.webhooks && options.webhooks.urls.length > 0) webhooks = startWebhooks({ ...options.webhooks, store, now: clock, log });

  let closed: Promise<void> | undefined;
  async function close(): Promise<void> {
    closing = true;
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    if (inFlight > 0) {
      await new Promise<void>((resolve) => {
        settled = resolve;
        setTimeout(resolve, DRAIN_MS).unref();
      });
    }
    // Answers still being written go out first; connections kept alive past them would hold
    // `server.close` open, so idle ones are closed as they become idle, and the rest after a while.
    const sweep = setInterval(() => server.closeIdleConnections(), 25);
    const cut = setTimeout(() => server.closeAllConnections(), 2_000);
    await stopped;
    clearInterval(sweep);
    clearTimeout(cut);
    await retention?.close();
    await webhooks?.close();
    await store.close();
  }

  return {
    url,
    port: actualPort,
    db: store,
    setFault(fn) {
      fault = fn;
    },
    close: () => (closed ??= close()),
  };
}
