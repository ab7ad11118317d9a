// Every way a post to the collector can be refused: each gets a clear 4xx, stores nothing, and
// the server goes on serving. Also the rate limit, CORS on every API path, and methods.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCollector, MAX_ANSWERS, type Collector } from '../../server/collector';
import { createRateLimiter } from '../../server/ratelimit';
import { BOOT_TIMEOUT, get, post, stored, TOKEN } from './helpers';
import { makeAnswer } from '../answers';

const ORIGIN = 'https://shop.example.com';

describe('collector error paths', () => {
  let collector: Collector;
  let base: string;
  const logged: string[] = [];

  beforeAll(async () => {
    collector = await startCollector({ readToken: TOKEN, allowedOrigins: [ORIGIN], rateLimit: false, log: (line) => logged.push(line) });
    base = collector.url;
  }, BOOT_TIMEOUT);
  afterAll(() => collector?.close());

  /** Runs a refused post and checks that nothing was stored and that the next good post works. */
  async function refused(body: unknown, options?: Parameters<typeof post>[2]) {
    const before = (await stored(base)).length;
    const res = await post(base, body, options);
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await stored(base)).toHaveLength(before);
    const ok = await post(base, { answers: [makeAnswer()] });
    expect(ok.status).toBe(200);
    return res;
  }

  it(`takes ${MAX_ANSWERS} answers in one request`, async () => {
    const answers = Array.from({ length: MAX_ANSWERS }, () => makeAnswer());
    const res = await post(base, { answers });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ accepted: MAX_ANSWERS, duplicates: 0 });
  });

  it(`refuses more than ${MAX_ANSWERS} answers with 413 and says how many`, async () => {
    const res = await refused({ answers: Array.from({ length: MAX_ANSWERS + 1 }, () => makeAnswer()) });
    expect(res.status).toBe(413);
    expect(res.body.error).toBe(`too many answers: ${MAX_ANSWERS + 1} in one request, at most ${MAX_ANSWERS}; split the batch`);
  });

  it('refuses a body over 1 MB with 413 before reading it, and closes that connection', async () => {
    const res = await refused(JSON.stringify({ answers: [makeAnswer({ comment: 'x'.repeat(1024 * 1024 + 10) })] }));
    expect(res.status).toBe(413);
    expect(res.body.error).toMatch(/body over 1048576 bytes/);
    expect(res.headers.get('connection')).toBe('close');
  });

  it.each([
    ['truncated JSON', '{"answers": [', /malformed JSON/],
    ['a trailing comma', '{"answers": [],}', /malformed JSON/],
    ['an empty body', '', /malformed JSON/],
    ['single quotes', "{'answers': []}", /malformed JSON/],
  ])('refuses %s with 400 and a message', async (_name, body, message) => {
    const res = await refused(body);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatch(message);
  });

  it('refuses bytes that are not UTF-8', async () => {
    const bytes = new Uint8Array([...new TextEncoder().encode('{"answers":"'), 0xff, 0xfe, ...new TextEncoder().encode('"}')]);
    const res = await refused(bytes);
    expect(res).toMatchObject({ status: 400, body: { error: 'body is not valid UTF-8' } });
  });

  it('refuses JSON nested a hundred thousand deep without falling over', async () => {
    const deep = `{"answers":[{"context":{"x":${'['.repeat(100_000)}${']'.repeat(100_000)}}}]}`;
    const res = await refused(deep);
    expect(res.status).toBe(400);
  });

  it.each([
    ['null', 'null'],
    ['a number', '42'],
    ['a string', '"answers"'],
    ['an array of answers', JSON.stringify([makeAnswer()])],
    ['answers as an object', JSON.stringify({ answers: { 0: makeAnswer() } })],
    ['an empty batch', JSON.stringify({ answers: [] })],
  ])('refuses %s with 400 listing the problem', async (_name, body) => {
    const res = await refused(body);
    expect(res.status).toBe(400);
    expect(res.body.errors.length).toBeGreaterThan(0);
    for (const e of res.body.errors) expect(e.message).toEqual(expect.any(String));
  });

  it.each([
    ['a score as text', { score: '9' }, 'answers[0].score'],
    ['a fractional score', { score: 8.5 }, 'answers[0].score'],
    ['an out-of-range score', { kind: 'ces', score: 8 }, 'answers[0].score'],
    ['emotions as a string', { emotions: 'happy' }, 'answers[0].emotions'],
    ['an unknown emotion word', { kind: 'emotion', score: 5, emotions: ['ecstatic'] }, 'answers[0].emotions[0]'],
    ['four emotion words', { kind: 'emotion', score: 5, emotions: ['happy', 'safe', 'valued', 'pleased'] }, 'answers[0].emotions'],
    ['a time without a zone', { answeredAt: '2026-11-22 10:00' }, 'answers[0].answeredAt'],
    ['another version', { v: 2 }, 'answers[0].v'],
    ['an unknown kind', { kind: 'csat' }, 'answers[0].kind'],
    ['a missing id', { id: undefined }, 'answers[0].id'],
    ['a context value that is an object', { context: { nested: { a: 1 } } }, 'answers[0].context.nested'],
    [
      'a context of 21 keys (20 at most)',
      { context: Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`k${i}`, i])) },
      'answers[0].context',
    ],
    [
      'a chosen word that was not offered',
      { kind: 'emotion', score: 8, emotions: ['happy'], offered: ['safe', 'stressed'] },
      'answers[0].emotions',
    ],
    ['a day that does not exist', { answeredAt: '2026-02-30T10:00:00.000Z' }, 'answers[0].answeredAt'],
  ])('refuses %s with 400 naming its path', async (_name, overrides, path) => {
    const res = await refused({ answers: [makeAnswer(overrides)] });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toContain(path);
    expect(res.body.errors.every((e: { index: number }) => e.index === 0)).toBe(true);
  });

  it('refuses huge strings with 400, naming the field without echoing it', async () => {
    for (const [field, size] of [
      ['comment', 2001],
      ['touchpoint', 200_000],
      ['url', 5000],
      ['user', 900_000],
    ] as const) {
      const res = await refused({ answers: [makeAnswer({ [field]: 'x'.repeat(size) })] });
      expect(res.status, field).toBe(400);
      expect(res.body.errors[0].path, field).toBe(`answers[0].${field}`);
      expect(res.text.length, field).toBeLessThan(2000);
    }
  });

  it('refuses unknown fields, including prototype keys and a huge key name, without echoing it whole', async () => {
    const proto = await refused(`{"answers":[${JSON.stringify(makeAnswer()).slice(0, -1)},"__proto__":{"admin":true}}]}`);
    expect(proto.status).toBe(400);
    expect(proto.body.errors).toEqual([{ index: 0, path: 'answers[0].__proto__', message: 'Unknown field "__proto__"' }]);
    const inContext = await refused(
      `{"answers":[${JSON.stringify(makeAnswer({ context: { a: 1 } })).replace('"a":1', '"a":1,"__proto__":{"isAdmin":true}')}]}`,
    );
    expect(inContext.body.errors).toEqual([{ index: 0, path: 'answers[0].context.__proto__', message: 'Unknown field "__proto__"' }]);
    const atTop = await refused(`{"__proto__":{},"answers":[${JSON.stringify(makeAnswer())}]}`);
    expect(atTop.body.errors).toEqual([{ index: null, path: '__proto__', message: 'Unknown field "__proto__"' }]);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();

    const longKey = 'k'.repeat(500_000);
    const res = await refused({ answers: [makeAnswer({ [longKey]: 1 })] });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe(`answers[0].${'k'.repeat(64)}…`);
    expect(res.text.length).toBeLessThan(1000);

    const top = await refused({ answers: [makeAnswer()], batchId: 7 });
    expect(top.body.errors).toEqual([{ index: null, path: 'batchId', message: 'Unknown field "batchId"' }]);
  });

  it('lists at most 50 errors of a batch of junk, and says how many more', async () => {
    const res = await refused({ answers: Array.from({ length: 100 }, () => makeAnswer({ score: 'x', extra: 1 })) });
    expect(res.status).toBe(400);
    expect(res.body.errors).toHaveLength(50);
    expect(res.body.more).toBe(150);
  });

  it('refuses other content types and charsets with 415', async () => {
    expect((await refused({ answers: [makeAnswer()] }, { contentType: 'application/x-www-form-urlencoded' })).status).toBe(415);
    expect((await refused({ answers: [makeAnswer()] }, { contentType: 'text/plain; charset=latin1' })).status).toBe(415);
  });

  it('refuses a post from an origin not on the allow-list with 403', async () => {
    const res = await refused({ answers: [makeAnswer()] }, { headers: { Origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers methods the API does not take with 405 and Allow', async () => {
    for (const [path, method, allow] of [
      ['/api/answers', 'PUT', 'DELETE'],
      ['/api/report', 'POST', 'GET'],
      ['/api/answers.csv', 'POST', 'GET'],
      ['/api/answers.ndjson', 'PUT', 'GET'],
    ] as const) {
      const res = await fetch(base + path, { method, body: '{}' });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get('allow'), path).toContain(allow);
      await res.arrayBuffer();
    }
  });

  it('gives allowed origins CORS on the report and exports, and lets them read Retry-After', async () => {
    for (const path of ['/api/report', '/api/answers.csv', '/api/answers.ndjson', '/api/answers']) {
      const res = await get(base, path, { Origin: ORIGIN });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('access-control-allow-origin'), path).toBe(ORIGIN);
      expect(res.headers.get('access-control-expose-headers'), path).toBe('Retry-After');
      const other = await get(base, path, { Origin: 'https://evil.example' });
      expect(other.headers.get('access-control-allow-origin'), path).toBeNull();
    }
    const preflight = await fetch(`${base}/api/report`, {
      method: 'OPTIONS',
      headers: { Origin: ORIGIN, 'Access-Control-Request-Method': 'GET' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toBe('GET');
  });

  it('logged each refusal on one short line and is still serving', async () => {
    expect(logged.length).toBeGreaterThan(20);
    for (const line of logged) {
      expect(line).not.toContain('\n');
      expect(line.length).toBeLessThan(700);
    }
    expect((await post(base, { answers: [makeAnswer()] })).status).toBe(200);
  });
});

describe('rate limit', () => {
  let collector: Collector;

  beforeAll(async () => {
    collector = await startCollector({ readToken: TOKEN, allowedOrigins: [ORIGIN], rateLimit: { max: 3, windowMs: 3000 }, log: () => {} });
  }, BOOT_TIMEOUT);
  afterAll(() => collector?.close());

  it('answers 429 with Retry-After past the limit, counts refused posts too, and lets the client back in after the window', async () => {
    const base = collector.url;
    // The window opens at this address's first post; the three below share it.
    expect((await post(base, { answers: [makeAnswer()] })).status).toBe(200);
    expect((await post(base, '{bad')).status).toBe(400);
    expect((await post(base, { answers: [makeAnswer()] }, { headers: { Origin: ORIGIN } })).status).toBe(200);

    const a = makeAnswer();
    const limited = await post(base, { answers: [a] }, { headers: { Origin: ORIGIN } });
    expect(limited.status).toBe(429);
    expect(limited.body.error).toMatch(/too many requests.*retry after \d+ s/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3);
    // The widget on another origin can read both the status and Retry-After.
    expect(limited.headers.get('access-control-allow-origin')).toBe(ORIGIN);
    expect(limited.headers.get('access-control-expose-headers')).toBe('Retry-After');
    expect((await stored(base)).some((s) => s.id === a.id)).toBe(false);

    // Reading is not limited: the dashboard keeps polling.
    expect((await get(base, '/api/report')).status).toBe(200);

    await new Promise((resolve) => setTimeout(resolve, retryAfter * 1000 + 100));
    expect((await post(base, { answers: [a] })).status).toBe(200);
    expect((await stored(base)).filter((s) => s.id === a.id)).toHaveLength(1);
  });
});

describe('createRateLimiter', () => {
  it('allows max hits per key and window, then tells how long to wait', () => {
    let now = 0;
    const limiter = createRateLimiter({ max: 2, windowMs: 10_000, now: () => now });
    expect(limiter.hit('a')).toEqual({ allowed: true, remaining: 1 });
    expect(limiter.hit('a')).toEqual({ allowed: true, remaining: 0 });
    expect(limiter.hit('b')).toEqual({ allowed: true, remaining: 1 });
    now = 2_500;
    expect(limiter.hit('a')).toEqual({ allowed: false, retryAfterSeconds: 8 });
    now = 9_999;
    expect(limiter.hit('a')).toEqual({ allowed: false, retryAfterSeconds: 1 });
    now = 10_000;
    expect(limiter.hit('a')).toEqual({ allowed: true, remaining: 1 });
  });

  it('forgets finished windows, so many addresses do not grow it forever', () => {
    let now = 0;
    const limiter = createRateLimiter({ max: 5, windowMs: 1000, now: () => now });
    for (let i = 0; i < 1000; i += 1) limiter.hit(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.size).toBe(1000);
    now = 2000;
    limiter.hit('new');
    expect(limiter.size).toBe(1);
  });

  it('refuses a nonsensical configuration', () => {
    expect(() => createRateLimiter({ max: 0, windowMs: 1000 })).toThrow(RangeError);
    expect(() => createRateLimiter({ max: 5, windowMs: 0 })).toThrow(RangeError);
  });
});
