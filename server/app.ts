// The collector's HTTP routes (Hono on @hono/node-server). Public: POST /api/answers and
// GET /healthz. Everything that reads or erases answers needs the read token. The rest is
// static files.
import type { IncomingMessage } from 'node:http';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode, StatusCode } from 'hono/utils/http-status';
import type { HttpBindings } from '@hono/node-server';
import { RESPONSE_ALREADY_SENT } from '@hono/node-server/utils/response';
import { checkContentType, MAX_BODY_BYTES, readBatch } from './ingest';
import { HttpError } from './http';
import type { RateLimiter } from './ratelimit';
import { buildReport, parseReportQuery, ReportQueryError } from './report';
import { csvLines, ndjsonLines } from './export';
import { staticFiles } from './static';
import type { Store } from './store';

/** What a test's fault switch does to an answer post: cut the connection, answer with a status, or nothing. */
export type FaultVerdict = 'drop' | { status: number; headers?: Record<string, string> } | undefined;
export type Fault = (req: IncomingMessage) => FaultVerdict;

/** What the routes need from the collector that runs them. */
export interface AppDeps {
  store: Store;
  /** Throws a 401 unless the `Authorization` header carries the read token. */
  checkToken: (header: string | undefined) => void;
  /** Origins allowed cross-origin (`*` for any); same-origin requests are always allowed. */
  origins: () => readonly string[];
  limiter: RateLimiter | undefined;
  siteConfigs: readonly unknown[];
  staticRoutes: Record<string, string>;
  /** Webhook URLs each new answer is queued for. */
  webhookUrls: readonly string[];
  now: () => number;
  /** Called after a post stored something new (wakes the webhook worker). */
  onStored: () => void;
  fault: () => Fault | undefined;
  /** True once shutdown began: new requests get 503 so clients retry elsewhere. */
  closing: () => boolean;
  log: (line: string) => void;
}

type Env = { Bindings: HttpBindings; Variables: { corsAllowed: boolean } };

const ANSWERS = '/api/answers';
const READ_ONLY = ['/api/answers.csv', '/api/answers.ndjson', '/api/report', '/api/impressions'];

/** Reads at most `limit` bytes; a larger body ends the request early instead of being buffered. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const tooLarge = () =>
    new HttpError(413, { error: `body over ${limit} bytes` }, { headers: { Connection: 'close' }, log: `body over ${limit} bytes` });
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(tooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (done) return;
      done = true;
      resolve(Buffer.concat(chunks));
    });
    req.on('error', (err) => {
      if (done) return;
      done = true;
      reject(err);
    });
  });
}

/** An export as a stream of ~64 KB chunks, so a large store is not one giant string. */
function streamLines(lines: Generator<string>): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    pull(controller) {
      let buffer = '';
      for (let next = lines.next(); !next.done; next = lines.next()) {
        buffer += next.value;
        if (buffer.length >= 64 * 1024) {
          controller.enqueue(encoder.encode(buffer));
          return;
        }
      }
      if (buffer) controller.enqueue(encoder.encode(buffer));
      controller.close();
    },
  });
}

/** Builds the app; `startCollector` serves it. */
export function createApp(deps: AppDeps): Hono<Env> {
  const { store, log } = deps;
  const app = new Hono<Env>();

  /** `?from=&to=&site=` (and for the report `compareAt`, `cesScale`), or a 400 naming the problem. */
  function readQuery(c: Context<Env>, keys?: string[]) {
    try {
      return parseReportQuery(new URL(c.req.url).searchParams, keys);
    } catch (err) {
      if (err instanceof ReportQueryError) throw new HttpError(400, { error: err.message });
      throw err;
    }
  }

  const needsToken: MiddlewareHandler<Env> = async (c, next) => {
    deps.checkToken(c.req.header('authorization'));
    await next();
  };

  /** CORS for the API: allowed origins may post and, with the token, read; others get no allow header. */
  const cors =
    (methods: string): MiddlewareHandler<Env> =>
    async (c, next) => {
      c.header('Vary', 'Origin');
      const origin = c.req.header('origin');
      const allowed = deps.origins();
      // Same-origin pages need no CORS, whatever host name the browser used to reach us.
      const ok = !!origin && (allowed.includes('*') || allowed.includes(origin) || origin === `http://${c.req.header('host')}`);
      c.set('corsAllowed', ok);
      if (ok) {
        c.header('Access-Control-Allow-Origin', allowed.includes('*') ? '*' : origin);
        // The widget honours Retry-After on 429/503 (SPEC §5); cross-origin it can only read it if exposed.
        c.header('Access-Control-Expose-Headers', 'Retry-After');
      }
      if (c.req.method === 'OPTIONS') {
        if (ok) {
          c.header('Access-Control-Allow-Methods', methods);
          c.header('Access-Control-Allow-Headers', 'Content-Type, Authorization');
          c.header('Access-Control-Max-Age', '600');
        }
        return c.body(null, 204);
      }
      await next();
    };

  const methodNotAllowed = (allow: string) => () => {
    throw new HttpError(405, { error: 'method not allowed' }, { headers: { Allow: allow } });
  };

  app.use('*', async (c, next) => {
    c.header('X-Content-Type-Options', 'nosniff');
    if (deps.closing()) {
      throw new HttpError(503, { error: 'shutting down; retry shortly' }, { headers: { 'Retry-After': '1', Connection: 'close' } });
    }
    await next();
  });

  app.get('/healthz', async (c) => {
    const reachable = await store.ping();
    c.header('Cache-Control', 'no-store');
    return c.json({ ok: reachable, store: store.kind, reachable }, reachable ? 200 : 503);
  });

  app.use(ANSWERS, cors('POST, GET, DELETE'));
  for (const path of READ_ONLY) app.use(path, cors('GET'));
  app.use('/api/*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    await next();
  });

  app.post(ANSWERS, async (c) => {
    const req = c.env.incoming;
    const injected = deps.fault()?.(req);
    if (injected === 'drop') {
      req.socket.destroy();
      return RESPONSE_ALREADY_SENT;
    }
    if (injected) return c.body(null, injected.status as StatusCode, injected.headers);
    const address = req.socket.remoteAddress ?? 'unknown';
    const verdict = deps.limiter?.hit(address);
    if (verdict && !verdict.allowed) {
      throw new HttpError(
        429,
        { error: `too many requests from this address; retry after ${verdict.retryAfterSeconds} s` },
        { headers: { 'Retry-After': String(verdict.retryAfterSeconds) }, log: `rate limited ${address}` },
      );
    }
    // Without a preflight (text/plain) a browser would post from anywhere; refuse rather than store.
    const origin = c.req.header('origin');
    if (origin && !c.get('corsAllowed'))
      throw new HttpError(403, { error: 'origin not allowed' }, { log: `origin not allowed: ${origin}` });
    const contentType = c.req.header('content-type');
    const wrongType = checkContentType(contentType);
    if (wrongType) throw new HttpError(wrongType.status, wrongType.body);
    const batch = readBatch(contentType, await readBody(req, MAX_BODY_BYTES));
    if (!batch.ok) throw new HttpError(batch.status, batch.body, { log: batch.log });
    const answers = await store.insertAnswers(batch.answers, { webhooks: deps.webhookUrls, now: new Date(deps.now()) });
    const impressions = await store.insertImpressions(batch.impressions);
    if (answers.inserted > 0 && deps.webhookUrls.length > 0) deps.onStored();
    return c.json({ accepted: answers.inserted + impressions.inserted, duplicates: answers.duplicates + impressions.duplicates });
  });

  app.get(ANSWERS, needsToken, async (c) => c.json({ answers: await store.listAnswers(readQuery(c, ['from', 'to', 'site'])) }));

  app.delete(ANSWERS, needsToken, async (c) => {
    const params = new URL(c.req.url).searchParams;
    const keys = [...params.keys()];
    const user = params.get('user')?.trim();
    if (keys.length !== 1 || keys[0] !== 'user' || !user || user.length > 128) {
      throw new HttpError(400, { error: 'say whose answers to erase: DELETE /api/answers?user=<the user id the answers carry>' });
    }
    const erased = await store.eraseUser(user);
    log(`[collector] erased ${erased.answers} answers of one user (${erased.webhooks} unsent webhooks)`);
    return c.json({ erased });
  });

  const exportRoute =
    (lines: (answers: Awaited<ReturnType<Store['listAnswers']>>) => Generator<string>, type: string, file: string) =>
    async (c: Context<Env>) => {
      const answers = await store.listAnswers(readQuery(c, ['from', 'to', 'site']));
      c.header('Content-Type', type);
      c.header('Content-Disposition', `attachment; filename="${file}"`);
      return c.req.method === 'HEAD' ? c.body(null, 200) : c.body(streamLines(lines(answers)), 200);
    };
  app.get('/api/answers.csv', needsToken, exportRoute(csvLines, 'text/csv; charset=utf-8; header=present', 'moodpoint-answers.csv'));
  app.get('/api/answers.ndjson', needsToken, exportRoute(ndjsonLines, 'application/x-ndjson; charset=utf-8', 'moodpoint-answers.ndjson'));

  app.get('/api/report', needsToken, async (c) => {
    const query = readQuery(c);
    const [answers, impressions, sites, stored] = await Promise.all([
      store.listAnswers(query),
      store.listImpressions(query),
      store.sites(),
      store.count(),
    ]);
    return c.json({ ...buildReport(answers, { query, impressions, configs: deps.siteConfigs, sites }), stored });
  });

  app.get('/api/impressions', needsToken, async (c) =>
    c.json({ impressions: await store.listImpressions(readQuery(c, ['from', 'to', 'site'])) }),
  );

  app.all(ANSWERS, methodNotAllowed('GET, HEAD, POST, DELETE, OPTIONS'));
  for (const path of READ_ONLY) app.all(path, methodNotAllowed('GET, HEAD, OPTIONS'));
  app.all('/api/*', () => {
    throw new HttpError(404, { error: 'not found' });
  });

  app.get('*', staticFiles(deps.staticRoutes));
  app.all('*', methodNotAllowed('GET, HEAD'));

  app.onError((err, c) => {
    const known = err instanceof HttpError;
    const status = known ? err.status : 500;
    log(
      `[collector] ${c.req.method} ${c.req.url.replace(/^https?:\/\/[^/]+/, '').slice(0, 200)} -> ${status}: ${String(err.message)
        .slice(0, 300)
        .replace(/\s+/g, ' ')}`,
    );
    const headers: Record<string, string> = { 'Cache-Control': 'no-store', ...(known ? err.headers : {}) };
    // A body left unread (429, 403, 415, 400 before reading) must not be parsed as the next request on this connection.
    if (c.req.method === 'POST' && !c.env.incoming.complete) headers.Connection = 'close';
    return c.json(known ? err.body : { error: 'internal error' }, status as ContentfulStatusCode, headers);
  });

  return app;
}
