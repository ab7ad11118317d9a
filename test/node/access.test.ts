// `moodpoint serve` as a product: the built CLI in a child process, PGlite in a data dir. Posting
// and the health check are public; every route that reads or erases answers needs the read token,
// and without it (or with a wrong one) answers 401 with nothing of the answers in the body.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAnswer } from '../answers';
import { BOOT_TIMEOUT, post, TOKEN } from './helpers';
import { runServe, startServe, type Served } from './serve';

const COMMENT = 'Secret comment 7f3a';
const USER = 'u_access_test';

/** Every route that reads or erases answers, with what a 200 carries. */
const READ_ROUTES: [method: string, path: string, type: string][] = [
  ['GET', '/api/answers', 'application/json'],
  ['HEAD', '/api/answers', 'application/json'],
  ['GET', '/api/answers?site=shop-eu', 'application/json'],
  ['GET', '/api/answers.csv', 'text/csv'],
  ['HEAD', '/api/answers.csv', 'text/csv'],
  ['GET', '/api/answers.ndjson', 'application/x-ndjson'],
  ['GET', '/api/report', 'application/json'],
  ['GET', '/api/report?compareAt=2026-01-01', 'application/json'],
  ['GET', '/api/impressions', 'application/json'],
];

const WRONG = [
  ['no header', undefined],
  ['an empty bearer', 'Bearer '],
  ['a wrong token', 'Bearer not-the-token-0123456789'],
  ['the token with a character more', `Bearer ${TOKEN}x`],
  ['the token cut short', `Bearer ${TOKEN.slice(0, -1)}`],
  ['the token as Basic auth', `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`],
  ['the token without the scheme', TOKEN],
] as const;

async function call(url: string, method: string, authorization?: string) {
  const res = await fetch(url, { method, headers: authorization === undefined ? {} : { Authorization: authorization } });
  return {
    status: res.status,
    type: res.headers.get('content-type') ?? '',
    challenge: res.headers.get('www-authenticate'),
    text: await res.text(),
  };
}

describe('moodpoint serve --port 0 --data-dir DIR with MOODPOINT_READ_TOKEN set', () => {
  let dataDir: string;
  let served: Served;
  const answer = makeAnswer({ comment: COMMENT, user: USER });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'moodpoint-access-'));
    served = await startServe(['--port', '0', '--data-dir', dataDir], { MOODPOINT_READ_TOKEN: TOKEN });
  }, BOOT_TIMEOUT);
  afterAll(async () => {
    await served?.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('takes a public POST and says the store is reachable at /healthz, without a token', async () => {
    expect((await post(served.url, { answers: [answer] })).body).toEqual({ accepted: 1, duplicates: 0 });
    const shown = {
      id: crypto.randomUUID(),
      responseId: answer.responseId,
      touchpoint: 'checkout_complete',
      event: 'shown',
      at: answer.answeredAt,
      v: 1,
    };
    expect((await post(served.url, { impressions: [shown] })).body).toEqual({ accepted: 1, duplicates: 0 });
    const health = await call(`${served.url}/healthz`, 'GET');
    expect(health.status).toBe(200);
    expect(JSON.parse(health.text)).toEqual({ ok: true, store: 'pglite', reachable: true });
    // The token came from the environment: none was generated, none printed.
    expect(existsSync(path.join(dataDir, 'read-token'))).toBe(false);
    expect(served.output()).not.toContain(TOKEN);
    expect(served.output()).toContain('read token: from MOODPOINT_READ_TOKEN');
  });

  it.each(READ_ROUTES)('%s %s: 401 without the token or with a wrong one, and no answer data', async (method, route) => {
    for (const [why, authorization] of WRONG) {
      const res = await call(served.url + route, method, authorization);
      expect(res.status, `${why}`).toBe(401);
      expect(res.challenge, why).toBe('Bearer realm="moodpoint"');
      for (const secret of [answer.id, COMMENT, USER, answer.responseId]) expect(res.text, why).not.toContain(secret);
      if (method === 'GET') expect(Object.keys(JSON.parse(res.text)), why).toEqual(['error']);
    }
  });

  it.each(READ_ROUTES)('%s %s: 200 with the token', async (method, route, type) => {
    const res = await call(served.url + route, method, `Bearer ${TOKEN}`);
    expect(res.status).toBe(200);
    expect(res.type).toContain(type);
    if (method === 'GET' && !route.includes('impressions')) expect(res.text).toContain(route.includes('report') ? COMMENT : answer.id);
    // The scheme's name is case-insensitive (RFC 7235).
    expect((await call(served.url + route, method, `bearer ${TOKEN}`)).status).toBe(200);
  });

  it("DELETE /api/answers?user=: 401 without the token, erases that person's answers with it", async () => {
    const other = makeAnswer({ user: 'someone_else' });
    await post(served.url, { answers: [other] });
    for (const [why, authorization] of WRONG) {
      const res = await call(`${served.url}/api/answers?user=${USER}`, 'DELETE', authorization);
      expect(res.status, why).toBe(401);
      expect(res.text, why).not.toContain(answer.id);
    }
    const listed = async () =>
      JSON.parse((await call(`${served.url}/api/answers`, 'GET', `Bearer ${TOKEN}`)).text).answers.map((a: any) => a.id);
    expect(await listed()).toEqual([answer.id, other.id]);
    const erased = await call(`${served.url}/api/answers?user=${USER}`, 'DELETE', `Bearer ${TOKEN}`);
    expect(erased.status).toBe(200);
    expect(JSON.parse(erased.text)).toEqual({ erased: { answers: 1, webhooks: 0 } });
    expect(await listed()).toEqual([other.id]);
    const missing = await call(`${served.url}/api/answers`, 'DELETE', `Bearer ${TOKEN}`);
    expect(missing.status).toBe(400);
    expect(JSON.parse(missing.text).error).toMatch(/DELETE \/api\/answers\?user=/);
  });

  it('serves the dashboard page itself without a token: its data calls need one', async () => {
    const page = await call(`${served.url}/dashboard/`, 'GET');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<script type="module" src="app.js">');
    expect(page.text).not.toContain(answer.id);
  });
});

describe('moodpoint serve without MOODPOINT_READ_TOKEN', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'moodpoint-token-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it(
    'generates a token at first start, keeps it in the data dir for its owner only, and prints it that once',
    async () => {
      const first = await startServe(['--port', '0', '--data-dir', dataDir]);
      let token: string;
      try {
        token = readFileSync(path.join(dataDir, 'read-token'), 'utf8').trim();
        expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
        expect((await stat(path.join(dataDir, 'read-token'))).mode & 0o777).toBe(0o600);
        expect(first.output()).toContain(`read token: ${token}`);
        expect(first.output()).toContain(`open ${first.url}/dashboard/#token=${token}`);
        expect((await call(`${first.url}/api/answers`, 'GET', `Bearer ${token}`)).status).toBe(200);
      } finally {
        expect(await first.stop()).toBe(0);
      }
      const second = await startServe(['--port', '0', '--data-dir', dataDir]);
      try {
        expect(second.output()).not.toContain(token);
        expect(second.output()).toContain(`read token: in ${path.join(dataDir, 'read-token')}`);
        expect((await call(`${second.url}/api/answers`, 'GET', `Bearer ${token}`)).status).toBe(200);
        expect((await call(`${second.url}/api/answers`, 'GET')).status).toBe(401);
      } finally {
        await second.stop();
      }
    },
    3 * BOOT_TIMEOUT,
  );

  it(
    'refuses a second process on the same data dir, naming the first',
    async () => {
      const first = await startServe(['--port', '0', '--data-dir', dataDir]);
      try {
        const second = await runServe(['--port', '0', '--data-dir', dataDir]);
        expect(second.code).toBe(1);
        expect(second.stderr).toMatch(/is in use by moodpoint serve at .* \(pid \d+\); PGlite allows one process at a time/);
      } finally {
        await first.stop();
      }
    },
    2 * BOOT_TIMEOUT,
  );
});

describe('moodpoint serve arguments', () => {
  it('prints its options with --help', async () => {
    const r = await runServe(['--help']);
    expect(r.code).toBe(0);
    for (const flag of [
      '--port',
      '--host',
      '--data-dir',
      '--webhook',
      '--retention-days',
      'DATABASE_URL',
      'CORS_ORIGINS',
      'MOODPOINT_READ_TOKEN',
    ])
      expect(r.stdout).toContain(flag);
  });

  it('names each bad flag or variable with what is wrong and how to fix it, and exits 2 without starting', async () => {
    const r = await runServe(
      ['--port', '99999', '--webhook', 'ftp://x', '--retention-days', 'ten', '--rate-limit=-1', '--static', 'nope'],
      {
        CORS_ORIGINS: 'https://ok.example, shop.example.com',
        MOODPOINT_READ_TOKEN: 'short',
      },
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toEqual([
      'moodpoint serve: --port: "99999" is not a port. Fix: use a whole number 0–65535 (0 picks a free one)',
      'moodpoint serve: MOODPOINT_READ_TOKEN: is 5 characters, too short to keep answers private. Fix: use at least 16, e.g. `openssl rand -base64 32`',
      `moodpoint serve: --webhook: "ftp://x" is not an http(s) URL. Fix: give the receiver's full URL, e.g. --webhook https://hooks.example.com/moodpoint`,
      'moodpoint serve: --retention-days: "ten" is not a number of days. Fix: use a whole number of days, at least 1',
      'moodpoint serve: --rate-limit: "-1" is not a number of posts. Fix: use a whole number of posts per minute (0 switches the limit off)',
      'moodpoint serve: CORS_ORIGINS: "shop.example.com" is not an origin. Fix: list scheme://host[:port] values without a path, e.g. https://shop.example.com, or *',
      'moodpoint serve: --static: "nope" is not PREFIX=DIR. Fix: give a URL prefix and a folder, e.g. --static /=./public or --static /shop/=./shop',
      'Run `moodpoint serve --help` for every option.',
    ]);
  });

  it('refuses unknown options, stray arguments, a bad config and Postgres without a shared token', async () => {
    expect((await runServe(['--prot', '80'])).stderr).toContain('moodpoint serve: --prot: unknown option');
    expect((await runServe(['8080'])).stderr).toContain('moodpoint serve: 8080: unexpected argument; every option starts with --');
    const config = path.join(await mkdtemp(path.join(tmpdir(), 'moodpoint-config-')), 'moodpoint.json');
    await import('node:fs/promises').then((fs) =>
      fs.writeFile(config, JSON.stringify({ touchpoints: [{ id: 'a', prompts: ['npx'], on: { event: 'x' } }] })),
    );
    expect((await runServe(['--config', config])).stderr).toContain(`--config ${config}: touchpoints[0].prompts[0]: unknown kind "npx"`);
    const pg = await runServe(['--webhook', 'https://hooks.example.com/x'], { DATABASE_URL: 'postgres://db.example.com/moodpoint' });
    expect(pg.code).toBe(2);
    expect(pg.stderr).toContain('MOODPOINT_READ_TOKEN: is not set; with DATABASE_URL every process must use the same read token');
    expect(pg.stderr).toContain('MOODPOINT_WEBHOOK_SECRET: is not set; with DATABASE_URL every process must sign with the same secret');
  });
});
