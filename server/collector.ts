import http from 'node:http';
import { createReadStream, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod/mini';
import { batchSchema } from '../../dist/answer.js';
import { openStore } from './store.mjs';
import { createRateLimiter } from './ratelimit.mjs';
import { buildReport, parseReportQuery, ReportQueryError } from './report.mjs';
import { csvLines, ndjsonLines } from './export.mjs';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const SHOP_DIR = path.join(REPO, 'demo', 'shop');
const DASHBOARD_DIR = path.join(REPO, 'demo', 'dashboard');
const DIST_DIR = path.join(REPO, 'dist');
const RECIPES_DIR = path.join(REPO, 'demo', 'recipes');

/** Bodies above this are refused unread: the widget's batches stay under 60 KB. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** Answers accepted in one request; the widget sends at most 50. */
export const MAX_ANSWERS = 500;

/** Default per-IP limit on answer posts: generous enough for a busy office behind one NAT address. */
export const DEFAULT_RATE_LIMIT = { max: 600, windowMs: 60_000 };

/** At most this many validation errors are listed; a 500-answer batch of junk need not echo 10,000 lines. */
const MAX_LISTED_ERRORS = 50;

const API_PATH = '/api/answers';
const CSV_PATH = '/api/answers.csv';
const NDJSON_PATH = '/api/answers.ndjson';
const REPORT_PATH = '/api/report';
const READ_ONLY_API = [CSV_PATH, NDJSON_PATH, REPORT_PATH];

/** The demo's own widget config: journey stage order, touchpoints and CES scales for the report. */
const DEMO_CONFIG = path.join(REPO, 'demo', 'shop', 'moodpoint.json');

function readDemoConfigs(log) {
  try {
    return [JSON.parse(readFileSync(DEMO_CONFIG, 'utf8'))];
  } catch (err) {
    log(`[collector] no journey config (${err.message}); stages will follow the answers`);
    return [];
  }
}

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * Browser modules the dashboard loads from node_modules (no build step): an import map in
 * demo/dashboard/index.html points the bare names at these paths. Only these files are served.
 */
const VENDOR_FILES = {
  'preact.mjs': 'preact/dist/preact.mjs',
  'hooks.mjs': 'preact/hooks/dist/hooks.mjs',
  'htm.mjs': 'htm/dist/htm.mjs',
  'chart.umd.min.js': 'chart.js/dist/chart.umd.min.js',
};

/**
 * What the framework recipes' import maps point at, so they run without a bundler: the widget's
 * ESM build and the packages it and the examples import. Only these folders are served.
 */
const RECIPE_VENDOR = {
  moodpoint: DIST_DIR,
  preact: path.join(REPO, 'node_modules', 'preact'),
  zod: path.join(REPO, 'node_modules', 'zod'),
  'idb-keyval': path.join(REPO, 'node_modules', 'idb-keyval', 'dist'),
  vue: path.join(REPO, 'node_modules', 'vue', 'dist'),
};

/** The dist files the pages load by bare root path, as the SPEC's embed snippet does. */
const DIST_FILES = {
  '/moodpoint.min.js': 'moodpoint.min.js',
  '/metrics.js': 'metrics.js',
  '/emotions.js': 'emotions.js',
};

// Zod mini ships no messages; English ones per parse keep zod's global config untouched.
const zodErrors = { error: z.locales.en().localeError };

class HttpError extends Error {
  /** Lets any step of a request end it with a status and a JSON body. */
  constructor(status, body, logMessage) {
    super(logMessage ?? body.error ?? `HTTP ${status}`);
    this.status = status;
    this.body = body;
  }
}

/** A posted key as it may be shown back: a megabyte-long key name is cut, not echoed. */
function shortKey(key) {
  const text = String(key);
  return text.length > 64 ? `${text.slice(0, 64)}…` : text;
}

/** `answers[2].score`: the form a site owner can find in the posted JSON. */
function formatPath(segments) {
  let out = '';
  for (const s of segments) {
    if (typeof s === 'number') out += `[${s}]`;
    else out += out === '' ? shortKey(s) : `.${shortKey(s)}`;
  }
  return out || '(root)';
}

/** Flattens zod issues to one entry per problem, naming the answer it belongs to. */
function toErrors(issues) {
  const errors = [];
  for (const issue of issues) {
    const index = issue.path[0] === 'answers' && typeof issue.path[1] === 'number' ? issue.path[1] : null;
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        errors.push({ index, path: formatPath([...issue.path, key]), message: `Unknown field "${shortKey(key)}"` });
      }
    } else {
      errors.push({ index, path: formatPath(issue.path), message: issue.message });
    }
  }
  return errors;
}

/**
 * Own `__proto__` keys (JSON.parse makes them ordinary properties) in the batch, its answers and
 * their contexts. Some zod versions drop such a key silently instead of calling it unknown, so the
 * collector looks for itself: a field nobody defined is an error however it is spelt.
 */
function protoKeyErrors(data) {
  const errors = [];
  const visit = (value, pathSegments, depth) => {
    if (value === null || typeof value !== 'object' || depth > 3) return;
    if (!Array.isArray(value) && Object.hasOwn(value, '__proto__')) {
      const index = pathSegments[0] === 'answers' && typeof pathSegments[1] === 'number' ? pathSegments[1] : null;
      errors.push({ index, path: formatPath([...pathSegments, '__proto__']), message: 'Unknown field "__proto__"' });
    }
    if (Array.isArray(value)) value.slice(0, MAX_ANSWERS).forEach((item, i) => visit(item, [...pathSegments, i], depth + 1));
    else for (const key of Object.keys(value)) if (key !== '__proto__') visit(value[key], [...pathSegments, key], depth + 1);
  };
  visit(data, [], 0);
  return errors;
}

/** Reads at most `limit` bytes; a larger body ends the request early instead of being buffered. */
function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      reject(new HttpError(413, { error: `body over ${limit} bytes` }));
      return;
    }
    const chunks = [];
    let size = 0;
    let done = false;
    req.on('data', (chunk) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) {
        done = true;
        req.pause();
        reject(new HttpError(413, { error: `body over ${limit} bytes` }));
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

/**
 * The widget sends text/plain by default so that no preflight can lose a send at unload
 * (SPEC §5); application/json is the opt-in. A bodyless-typed beacon is tolerated too.
 */
function checkContentType(header) {
  if (!header) return;
  const [type, ...params] = header
    .toLowerCase()
    .split(';')
    .map((s) => s.trim());
  if (type !== 'text/plain' && type !== 'application/json') {
    throw new HttpError(415, { error: 'Content-Type must be text/plain or application/json' });
  }
  const charset = params
    .find((p) => p.startsWith('charset='))
    ?.slice(8)
    .replace(/"/g, '');
  if (charset && charset !== 'utf-8' && charset !== 'utf8') {
    throw new HttpError(415, { error: 'charset must be UTF-8' });
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function parseJson(buffer) {
  let text;
  try {
    text = utf8.decode(buffer);
  } catch {
    throw new HttpError(400, { error: 'body is not valid UTF-8' });
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new HttpError(400, { error: `malformed JSON: ${err.message}` });
  }
}

function sendJson(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  res.end(res.req?.method === 'HEAD' ? undefined : text);
}

/** Raw pathname, decoded; undefined when it is malformed or tries to leave its directory. */
function safePathname(rawUrl) {
  const raw = (rawUrl ?? '/').split(/[?#]/, 1)[0];
  let decoded;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return undefined;
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return undefined;
  // `..` never leaves a directory; other dot-names (.git, .env) are never meant to be served.
  if (decoded.split('/').some((segment) => segment.startsWith('.'))) return undefined;
  return decoded;
}

/** Maps a URL path to a file, or undefined; never a file outside the route's directory. */
function resolveStatic(pathname, staticRoutes) {
  const prefixes = Object.keys(staticRoutes).sort((a, b) => b.length - a.length);
  for (const prefix of prefixes) {
    if (pathname.startsWith(prefix)) return inside(staticRoutes[prefix], pathname.slice(prefix.length));
  }
  if (Object.hasOwn(DIST_FILES, pathname)) return { file: path.join(DIST_DIR, DIST_FILES[pathname]), noStore: true };
  if (pathname.startsWith('/locales/')) return inside(path.join(DIST_DIR, 'locales'), pathname.slice('/locales/'.length));
  if (pathname === '/dashboard') return { redirect: '/dashboard/' };
  if (pathname.startsWith('/dashboard/vendor/')) {
    const name = pathname.slice('/dashboard/vendor/'.length);
    return Object.hasOwn(VENDOR_FILES, name) ? { file: path.join(REPO, 'node_modules', VENDOR_FILES[name]) } : undefined;
  }
  if (pathname.startsWith('/dashboard/')) return inside(DASHBOARD_DIR, pathname.slice('/dashboard/'.length));
  if (pathname === '/recipes') return { redirect: '/recipes/' };
  if (pathname.startsWith('/recipes/vendor/')) {
    const [name, ...rest] = pathname.slice('/recipes/vendor/'.length).split('/');
    return Object.hasOwn(RECIPE_VENDOR, name) ? inside(RECIPE_VENDOR[name], rest.join('/')) : undefined;
  }
  if (pathname.startsWith('/recipes/')) return inside(RECIPES_DIR, pathname.slice('/recipes/'.length));
  if (pathname.startsWith('/api/')) return undefined;
  return inside(SHOP_DIR, pathname.slice(1));
}

function inside(root, relative) {
  const base = path.resolve(root);
  const file = path.resolve(base, relative === '' || relative.endsWith('/') ? `${relative}index.html` : relative);
  if (file !== base && !file.startsWith(base + path.sep)) return undefined;
  return { file };
}

/**
 * Starts the reference collector: the answers API of SPEC §5, the report and exports, plus the
 * demo shop, dashboard and widget build as static files, so one process is the whole local demo.
 *
 * @param {object} [options]
 * @param {number} [options.port] 0 picks a free port (tests).
 * @param {string} [options.host]
 * @param {string} [options.dataDir] PGlite directory; undefined keeps answers in memory only.
 * @param {string} [options.databaseUrl] A Postgres server (`postgres://…`) instead of PGlite.
 * @param {string[]} [options.allowedOrigins] Cross-origin pages allowed to post; `'*'` for any.
 *   Defaults to the collector's own origin. Same-origin requests are always allowed.
 * @param {{ max: number, windowMs: number } | false} [options.rateLimit] Answer posts per IP
 *   address and window; `false` switches the limit off. Default {@link DEFAULT_RATE_LIMIT}.
 * @param {any[]} [options.siteConfigs] Widget configs (SPEC §3) whose touchpoints give the report
 *   its journey order, stages and CES scales. Default: the demo shop's `moodpoint.json`.
 * @param {Record<string, string>} [options.staticRoutes] Extra `{ '/prefix/': '/abs/dir' }` mounts.
 * @param {(line: string) => void} [options.log] Where request errors go (one line each).
 *
 * The returned `setFault(fn)` lets tests make answer posts fail the way real networks and
 * servers do: `fn(req)` returns `'drop'` (the connection is cut, as offline), a status with
 * optional headers, or nothing to handle the request normally.
 */
export async function startCollector({
  port = 0,
  host = '127.0.0.1',
  dataDir,
  databaseUrl,
  allowedOrigins,
  rateLimit = DEFAULT_RATE_LIMIT,
  siteConfigs,
  staticRoutes = {},
  log = (line) => console.error(line),
} = {}) {
  const limiter = rateLimit ? createRateLimiter(rateLimit) : undefined;
  const configs = siteConfigs ?? readDemoConfigs(log);
  const store = await openStore({ dataDir, databaseUrl });
  /** @type {((req: http.IncomingMessage) => 'drop' | { status: number, headers?: Record<string, string> } | undefined) | undefined} */
  let fault;
  let origins = allowedOrigins ? [...allowedOrigins] : undefined;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      const status = err instanceof HttpError ? err.status : 500;
      const body = err instanceof HttpError ? err.body : { error: 'internal error' };
      log(
        `[collector] ${req.method} ${req.url?.slice(0, 200)} -> ${status}: ${String(err?.message ?? err)
          .slice(0, 300)
          .replace(/\s+/g, ' ')}`,
      );
      if (res.headersSent) {
        res.destroy();
        return;
      }
      // A body left unread (413, 429) must not be parsed as the next request on this connection.
      if (!req.complete) res.setHeader('Connection', 'close');
      sendJson(res, status, body);
    });
  });
  server.on('clientError', (err, socket) => {
    if (err.code !== 'ECONNRESET') log(`[collector] client error: ${err.message}`);
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });

  /** Same-origin pages need no CORS, whatever host name the browser used to reach us. */
  function isSameOrigin(req, origin) {
    return origin === `http://${req.headers.host}`;
  }

  function corsOrigin(req) {
    const origin = req.headers.origin;
    if (!origin) return undefined;
    if (origins.includes('*')) return '*';
    if (origins.includes(origin) || isSameOrigin(req, origin)) return origin;
    return undefined;
  }

  async function handle(req, res) {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    const pathname = safePathname(req.url);
    if (pathname === undefined) throw new HttpError(404, { error: 'not found' }, 'rejected path');

    if (pathname === API_PATH || READ_ONLY_API.includes(pathname)) return handleApi(req, res, pathname);
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      throw new HttpError(405, { error: 'method not allowed' });
    }
    const target = resolveStatic(pathname, staticRoutes);
    if (target?.redirect) {
      res.writeHead(301, { Location: target.redirect }).end();
      return;
    }
    if (!target) throw new HttpError(404, { error: 'not found' });
    await sendFile(req, res, target);
  }

  /** `?from=&to=&site=` (and for the report `compareAt`, `cesScale`), or a 400 naming the problem. */
  function readQuery(req, keys) {
    const params = new URL(req.url ?? '/', 'http://collector').searchParams;
    try {
      return parseReportQuery(params, keys);
    } catch (err) {
      if (err instanceof ReportQueryError) throw new HttpError(400, { error: err.message });
      throw err;
    }
  }

  async function handleApi(req, res, pathname) {
    res.setHeader('Vary', 'Origin');
    const allowOrigin = corsOrigin(req);
    if (allowOrigin) {
      res.setHeader('Access-Control-Allow-Origin', allowOrigin);
      // The widget honours Retry-After on 429/503 (SPEC §5); cross-origin it can only read it if exposed.
      res.setHeader('Access-Control-Expose-Headers', 'Retry-After');
    }
    const readOnly = pathname !== API_PATH;

    if (req.method === 'OPTIONS') {
      if (allowOrigin) {
        res.setHeader('Access-Control-Allow-Methods', readOnly ? 'GET' : 'POST, GET');
        res.setHeader('Access-Control-Allow-Headers', 'Content-Type');
        res.setHeader('Access-Control-Max-Age', '600');
      }
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'GET' || req.method === 'HEAD') {
      if (pathname === REPORT_PATH) return sendReport(req, res);
      const filters = readQuery(req, ['from', 'to', 'site']);
      const answers = await store.listAnswers(filters);
      if (pathname === CSV_PATH)
        return sendLines(req, res, csvLines(answers), 'text/csv; charset=utf-8; header=present', 'moodpoint-answers.csv');
      if (pathname === NDJSON_PATH)
        return sendLines(req, res, ndjsonLines(answers), 'application/x-ndjson; charset=utf-8', 'moodpoint-answers.ndjson');
      sendJson(res, 200, { answers });
      return;
    }
    if (req.method !== 'POST' || readOnly) {
      res.setHeader('Allow', readOnly ? 'GET, HEAD, OPTIONS' : 'GET, HEAD, POST, OPTIONS');
      throw new HttpError(405, { error: 'method not allowed' });
    }
    const injected = fault?.(req);
    if (injected === 'drop') {
      req.socket.destroy();
      return;
    }
    if (injected) {
      res.writeHead(injected.status, injected.headers).end();
      return;
    }
    if (limiter) {
      const verdict = limiter.hit(req.socket.remoteAddress ?? 'unknown');
      if (!verdict.allowed) {
        res.setHeader('Retry-After', String(verdict.retryAfterSeconds));
        throw new HttpError(
          429,
          { error: `too many requests from this address; retry after ${verdict.retryAfterSeconds} s` },
          `rate limited ${req.socket.remoteAddress}`,
        );
      }
    }
    // Without a preflight (text/plain) a browser would post from anywhere; refuse rather than store.
    if (req.headers.origin && !allowOrigin) {
      throw new HttpError(403, { error: 'origin not allowed' }, `origin not allowed: ${req.headers.origin}`);
    }
    checkContentType(req.headers['content-type']);
    const data = parseJson(await readBody(req, MAX_BODY_BYTES));
    // Before the schema, so the answer is 413 (SPEC §5: the sender splits the batch and retries).
    if (Array.isArray(data?.answers) && data.answers.length > MAX_ANSWERS) {
      throw new HttpError(413, {
        error: `too many answers: ${data.answers.length} in one request, at most ${MAX_ANSWERS}; split the batch`,
      });
    }
    const result = z.safeParse(batchSchema(), data, zodErrors);
    const proto = protoKeyErrors(data);
    if (!result.success || proto.length) {
      const fromSchema = result.success ? [] : toErrors(result.error.issues).filter((e) => !proto.some((p) => p.path === e.path));
      const all = [...proto, ...fromSchema];
      const errors = all.slice(0, MAX_LISTED_ERRORS);
      const body = all.length > errors.length ? { errors, more: all.length - errors.length } : { errors };
      throw new HttpError(400, body, `invalid batch: ${errors[0]?.path} ${errors[0]?.message}`);
    }
    const { inserted, duplicates } = await store.insertAnswers(result.data.answers ?? []);
    sendJson(res, 200, { accepted: inserted, duplicates });
  }

  async function sendReport(req, res) {
    const query = readQuery(req);
    const [answers, sites, stored] = await Promise.all([store.listAnswers(query), store.sites(), store.count()]);
    sendJson(res, 200, { ...buildReport(answers, { query, configs, sites }), stored });
  }

  /** Streams an export, honouring back-pressure; HEAD gets the headers only. */
  async function sendLines(req, res, lines, contentType, filename) {
    res.writeHead(200, {
      'Content-Type': contentType,
      'Content-Disposition': `attachment; filename="${filename}"`,
      'Cache-Control': 'no-store',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    let buffer = '';
    for (const line of lines) {
      buffer += line;
      if (buffer.length >= 64 * 1024) {
        if (!res.write(buffer)) await new Promise((resolve) => res.once('drain', resolve));
        buffer = '';
      }
    }
    res.end(buffer);
  }

  async function sendFile(req, res, { file, noStore }) {
    let info;
    try {
      info = await stat(file);
    } catch {
      throw new HttpError(404, { error: 'not found' });
    }
    if (!info.isFile()) throw new HttpError(404, { error: 'not found' });
    res.writeHead(200, {
      'Content-Type': CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream',
      'Content-Length': info.size,
      // A dev server: always revalidate, and never cache the widget build between rebuilds.
      'Cache-Control': noStore ? 'no-store' : 'no-cache',
      'Last-Modified': info.mtime.toUTCString(),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await new Promise((resolve, reject) => {
      const stream = createReadStream(file);
      stream.on('error', reject);
      res.on('close', resolve);
      stream.pipe(res);
    });
  }

  try {
    await new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await store.close().catch(() => {});
    throw err;
  }
  const actualPort = /** @type {import('node:net').AddressInfo} */ (server.address()).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}`;
  origins ??= [url];

  return {
    url,
    port: actualPort,
    db: store,
    /** Makes answer posts fail on purpose (tests); `undefined` restores normal service. */
    setFault(fn) {
      fault = fn;
    },
    /** Stops accepting requests, drops idle keep-alive connections, then closes the database. */
    async close() {
      await new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
        setTimeout(() => server.closeAllConnections(), 2000).unref();
      });
      await store.close();
    },
  };
}
