import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { request } from 'node:http';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startCollector, type Collector } from '../../server/collector';
import { makeAnswer } from '../answers';
import { demoRoutes } from '../demo';
import { AUTH, TOKEN } from './helpers';

/** Answers here carry a context and a user, as a logged-in checkout's would. */
const answer = (over: Record<string, unknown> = {}) => makeAnswer({ context: { orderValue: 42 }, user: 'u_123', ...over });

// PGlite takes a few seconds to boot, more on a cold cache.
const BOOT_TIMEOUT = 60_000;

type PostResult = { status: number; body: any; headers: Headers };

async function post(
  base: string,
  body: unknown,
  contentType = 'text/plain;charset=UTF-8',
  headers: Record<string, string> = {},
): Promise<PostResult> {
  const res = await fetch(`${base}/api/answers`, {
    method: 'POST',
    headers: { 'Content-Type': contentType, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, headers: res.headers };
}

async function stored(base: string): Promise<any[]> {
  const res = await fetch(`${base}/api/answers`, { headers: AUTH });
  expect(res.status).toBe(200);
  return ((await res.json()) as { answers: any[] }).answers;
}

/** fetch() normalises `..` away, so traversal attempts need a raw request line. */
function rawGet(base: string, rawPath: string): Promise<number> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path: rawPath, method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('reference collector (in memory)', () => {
  let collector: Collector;
  let base: string;
  let pagesDir: string;
  const logged: string[] = [];

  beforeAll(async () => {
    pagesDir = await mkdtemp(path.join(tmpdir(), 'moodpoint-pages-'));
    await writeFile(path.join(pagesDir, 'page.html'), '<!doctype html><title>t</title>');
    await mkdir(path.join(pagesDir, 'sub'));
    await writeFile(path.join(pagesDir, 'sub', 'index.html'), '<!doctype html><title>sub</title>');
    collector = await startCollector({
      readToken: TOKEN,
      allowedOrigins: ['https://shop.example.com'],
      staticRoutes: { ...demoRoutes(), '/pages/': pagesDir },
      log: (line) => logged.push(line),
    });
    base = collector.url;
  }, BOOT_TIMEOUT);

  afterAll(async () => {
    await collector?.close();
    await rm(pagesDir, { recursive: true, force: true });
  });

  it('listens on a free port and reports its URL', () => {
    expect(collector.port).toBeGreaterThan(0);
    expect(base).toBe(`http://127.0.0.1:${collector.port}`);
  });

  it('accepts text/plain (the widget default) and stores the answer in SPEC §4 shape', async () => {
    const a = answer({ comment: 'Fast delivery' });
    const res = await post(base, { answers: [a] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: 1, duplicates: 0 });
    const row = (await stored(base)).find((s) => s.id === a.id);
    expect(row).toMatchObject({ ...a, answeredAt: a.answeredAt });
    expect(Date.parse(row.receivedAt)).not.toBeNaN();
  });

  it('accepts application/json', async () => {
    const a = answer({ kind: 'ces', score: 6, touchpoint: 'support_closed', stage: 'support', context: undefined });
    const res = await post(base, { answers: [a] }, 'application/json');
    expect(res).toMatchObject({ status: 200, body: { accepted: 1, duplicates: 0 } });
    const row = (await stored(base)).find((s) => s.id === a.id);
    expect(row).toMatchObject({ kind: 'ces', score: 6, touchpoint: 'support_closed' });
    expect(row).not.toHaveProperty('context');
  });

  it('keeps emotion words, optional fields and comment records', async () => {
    const responseId = crypto.randomUUID();
    const scored = answer({ responseId, kind: 'emotion', score: 8, emotions: ['happy', 'cared_for'] });
    const comment = answer({ responseId, kind: 'comment', score: undefined, comment: 'Lovely' });
    delete scored.user;
    const res = await post(base, { answers: [scored, comment] });
    expect(res.body).toEqual({ accepted: 2, duplicates: 0 });
    const rows = await stored(base);
    const s = rows.find((r) => r.id === scored.id);
    expect(s.emotions).toEqual(['happy', 'cared_for']);
    expect(s).not.toHaveProperty('user');
    expect(rows.find((r) => r.id === comment.id)).toMatchObject({ kind: 'comment', comment: 'Lovely' });
    expect(rows.find((r) => r.id === comment.id)).not.toHaveProperty('score');
  });

  it('stores a resent id once and counts it as a duplicate', async () => {
    const a = answer();
    expect((await post(base, { answers: [a] })).body).toEqual({ accepted: 1, duplicates: 0 });
    const again = await post(base, { answers: [a, answer()] });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ accepted: 1, duplicates: 1 });
    expect((await stored(base)).filter((s) => s.id === a.id)).toHaveLength(1);
  });

  it('counts a repeat inside one batch as a duplicate', async () => {
    const a = answer();
    expect((await post(base, { answers: [a, a] })).body).toEqual({ accepted: 1, duplicates: 1 });
    expect((await stored(base)).filter((s) => s.id === a.id)).toHaveLength(1);
  });

  it('lets a resend fill in a missing comment, but never overwrite one or change anything else', async () => {
    const a = answer();
    await post(base, { answers: [a] });
    const withComment = await post(base, { answers: [{ ...a, comment: 'Quick checkout', score: 3 }] });
    expect(withComment.body).toEqual({ accepted: 0, duplicates: 1 });
    let row = (await stored(base)).find((s) => s.id === a.id);
    expect(row.comment).toBe('Quick checkout');
    expect(row.score).toBe(9);

    await post(base, { answers: [{ ...a, comment: 'Something else' }] });
    row = (await stored(base)).find((s) => s.id === a.id);
    expect(row.comment).toBe('Quick checkout');
  });

  it('lets a resend fill in emotion words the first copy lacked, never replace them', async () => {
    const a = answer({ kind: 'emotion', score: 8 });
    await post(base, { answers: [a] });
    const res = await post(base, { answers: [{ ...a, emotions: ['valued', 'pleased'] }] });
    expect(res.body).toEqual({ accepted: 0, duplicates: 1 });
    const row = () => stored(base).then((all) => all.find((s) => s.id === a.id));
    expect((await row()).emotions).toEqual(['valued', 'pleased']);
    await post(base, { answers: [{ ...a, emotions: ['stressed'] }] });
    expect((await row()).emotions).toEqual(['valued', 'pleased']);
  });

  it('rejects an invalid answer with per-answer paths and stores nothing of the batch', async () => {
    const before = (await stored(base)).length;
    const good = answer();
    const bad = answer({ score: 11 });
    const res = await post(base, { answers: [good, bad] });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ index: 1, path: 'answers[1].score', message: expect.any(String) }]);
    expect(await stored(base)).toHaveLength(before);
  });

  it('names every invalid field', async () => {
    const res = await post(base, {
      answers: [answer({ id: 'not-a-uuid', score: 'high', emotions: ['elated'] })],
    });
    expect(res.status).toBe(400);
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['answers[0].id', 'answers[0].score', 'answers[0].emotions[0]']));
    for (const e of res.body.errors) {
      expect(e.index).toBe(0);
      expect(e.message).not.toBe('');
    }
  });

  it('rejects unknown fields, in an answer and at the top level', async () => {
    const inAnswer = await post(base, { answers: [answer({ rating: 5 })] });
    expect(inAnswer.status).toBe(400);
    expect(inAnswer.body.errors).toEqual([{ index: 0, path: 'answers[0].rating', message: expect.stringContaining('rating') }]);

    const topLevel = await post(base, { answers: [answer()], extra: true });
    expect(topLevel.status).toBe(400);
    expect(topLevel.body.errors[0]).toMatchObject({ index: null, path: 'extra' });
  });

  it('rejects a batch that is empty or not a batch', async () => {
    expect((await post(base, { answers: [] })).status).toBe(400);
    expect((await post(base, [answer()])).status).toBe(400);
    expect((await post(base, 'null')).status).toBe(400);
  });

  it('rejects malformed JSON with 400 and an error message', async () => {
    const before = (await stored(base)).length;
    const res = await post(base, '{"answers": [', 'application/json');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(/JSON/);
    expect(await stored(base)).toHaveLength(before);
  });

  it('refuses other content types with 415', async () => {
    const res = await post(base, { answers: [answer()] }, 'application/x-www-form-urlencoded');
    expect(res.status).toBe(415);
  });

  it('refuses a body over 1 MB with 413', async () => {
    const before = (await stored(base)).length;
    const big = JSON.stringify({ answers: [answer({ comment: 'x'.repeat(1024 * 1024) })] });
    const res = await post(base, big);
    expect(res.status).toBe(413);
    expect(await stored(base)).toHaveLength(before);
    // The server is still fine afterwards.
    expect((await post(base, { answers: [answer()] })).status).toBe(200);
  });

  it('refuses a chunked body that grows over 1 MB with 413', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 2 * 1024 * 1024) controller.close();
        else {
          sent += chunk.length;
          controller.enqueue(chunk);
        }
      },
    });
    const res = await fetch(`${base}/api/answers`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain;charset=UTF-8' },
      body,
      duplex: 'half',
    } as RequestInit);
    expect(res.status).toBe(413);
  });

  it('returns answers newest last', async () => {
    const first = answer();
    const second = answer();
    await post(base, { answers: [first] });
    await post(base, { answers: [second] });
    const ids = (await stored(base)).map((s) => s.id);
    expect(ids.indexOf(first.id)).toBeLessThan(ids.indexOf(second.id));
    expect(ids.at(-1)).toBe(second.id);
  });

  it('answers a CORS preflight from an allowed origin', async () => {
    const res = await fetch(`${base}/api/answers`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'https://shop.example.com',
        'Access-Control-Request-Method': 'POST',
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('content-type');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
    expect(res.headers.get('vary')).toContain('Origin');
  });

  it('gives a disallowed origin no allow-origin header and does not store its posts', async () => {
    const preflight = await fetch(`${base}/api/answers`, {
      method: 'OPTIONS',
      headers: { Origin: 'https://evil.example', 'Access-Control-Request-Method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();

    const a = answer();
    const res = await post(base, { answers: [a] }, undefined, { Origin: 'https://evil.example' });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect((await stored(base)).some((s) => s.id === a.id)).toBe(false);
  });

  it('echoes an allowed origin on a simple POST, so the widget can read the status', async () => {
    const ok = await post(base, { answers: [answer()] }, undefined, { Origin: 'https://shop.example.com' });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    const bad = await post(base, { answers: [answer({ score: -1 })] }, undefined, { Origin: 'https://shop.example.com' });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
  });

  it('treats a same-origin post as allowed whatever host name was used', async () => {
    const res = await post(base, { answers: [answer()] }, undefined, { Origin: base });
    expect(res.status).toBe(200);
  });

  it('serves the dashboard, the widget build and mounted folders (the demo shop, test pages) with their content types', async () => {
    for (const [url, type] of [
      ['/', 'text/html'],
      ['/thanks.html', 'text/html'],
      ['/moodpoint.json', 'application/json'],
      ['/shop.css', 'text/css'],
      ['/dashboard/', 'text/html'],
      ['/dashboard/app.js', 'text/javascript'],
      ['/moodpoint.min.js', 'text/javascript'],
      ['/locales/de.json', 'application/json'],
      ['/pages/page.html', 'text/html'],
      ['/pages/sub/', 'text/html'],
    ] as const) {
      const res = await fetch(base + url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type'), url).toContain(type);
      await res.arrayBuffer();
    }
    const config = await (await fetch(`${base}/moodpoint.json`)).json();
    expect(config).toMatchObject({ site: 'demo-shop' });
  });

  it('redirects /dashboard to /dashboard/', async () => {
    const res = await fetch(`${base}/dashboard`, { redirect: 'manual' });
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/dashboard/');
  });

  it('answers 404 for unknown files and API paths', async () => {
    for (const url of ['/nope.html', '/pages/missing.html', '/api/other', '/dashboard/nope.js']) {
      const res = await fetch(base + url);
      expect(res.status, url).toBe(404);
      await res.arrayBuffer();
    }
  });

  it('never serves files outside a static directory', async () => {
    for (const raw of [
      '/../package.json',
      '/..%2fpackage.json',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/dashboard/../../package.json',
      '/pages/..%2f..%2fetc%2fpasswd',
      '/pages/%2e%2e/x',
      '/.gitignore',
      '/%00',
      '/%E0%A4%A',
    ]) {
      expect(await rawGet(base, raw), raw).toBe(404);
    }
    // A backslash is not a URL path at all: the HTTP layer refuses it before any route sees it.
    expect(await rawGet(base, '/..\\package.json')).toBe(400);
  });

  it('rejects other methods on static files and the API', async () => {
    expect((await fetch(`${base}/`, { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(`${base}/api/answers`, { method: 'PUT', body: '{}' })).status).toBe(405);
  });

  it('logs one line per failed request', () => {
    expect(logged.length).toBeGreaterThan(0);
    for (const line of logged) expect(line).not.toContain('\n');
  });
});

describe('reference collector (persistent)', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'moodpoint-pglite-'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it(
    'keeps answers across restarts and still de-duplicates them',
    async () => {
      const a = answer({ comment: 'Kept' });
      const first = await startCollector({ readToken: TOKEN, pgliteDir: dataDir, log: () => {} });
      try {
        expect((await post(first.url, { answers: [a] })).body).toEqual({ accepted: 1, duplicates: 0 });
      } finally {
        await first.close();
      }

      const second = await startCollector({ readToken: TOKEN, pgliteDir: dataDir, log: () => {} });
      try {
        const rows = await stored(second.url);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({ id: a.id, comment: 'Kept', score: 9 });
        expect((await post(second.url, { answers: [a] })).body).toEqual({ accepted: 0, duplicates: 1 });
        expect(await stored(second.url)).toHaveLength(1);
      } finally {
        await second.close();
      }
    },
    3 * BOOT_TIMEOUT,
  );
});
