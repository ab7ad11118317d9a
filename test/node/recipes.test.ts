import { existsSync, readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeAnswer } from '../answers';
import { memoryStore } from '../../demo/recipes/backend/answers.mjs';
import { createApp } from '../../demo/recipes/backend/express.mjs';
import { createHandler } from '../../demo/recipes/backend/serverless.mjs';
import { readmeBlocksUnder } from '../readme';

const ORIGIN = 'https://shop.example.com';

const answer = (over: Record<string, unknown> = {}) =>
  makeAnswer({
    responseId: 'r1',
    kind: 'emotion',
    answeredAt: '2026-11-22T10:00:00.000Z',
    site: undefined,
    locale: undefined,
    url: undefined,
    ...over,
  });

type Post = (body: string, contentType?: string, method?: string) => Promise<Response>;

/** The same checks against each recipe: one posts over HTTP to Express, the other calls the function. */
function backendContract(name: string, setup: () => Promise<{ post: Post; store: ReturnType<typeof memoryStore> }>) {
  describe(name, () => {
    let post: Post;
    let store: ReturnType<typeof memoryStore>;
    beforeAll(async () => ({ post, store } = await setup()));

    it('accepts the widget default text/plain and application/json, and stores a resent batch once', async () => {
      const batch = JSON.stringify({ answers: [answer(), answer({ kind: 'nps', score: 10, comment: 'Fast' })] });
      const first = await post(batch, 'text/plain;charset=UTF-8');
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ accepted: 2, duplicates: 0 });
      expect(first.headers.get('access-control-allow-origin')).toBe(ORIGIN);
      const again = await post(batch, 'application/json');
      expect(await again.json()).toEqual({ accepted: 0, duplicates: 2 });
      expect(store.all()).toHaveLength(2);
    });

    it('lets a resend fill in emotion words and a comment the first copy lacked, and nothing else', async () => {
      const first = answer();
      await post(JSON.stringify({ answers: [first] }), 'text/plain');
      const resend = { ...first, score: 2, emotions: ['valued'], comment: 'Kind staff' };
      expect(await (await post(JSON.stringify({ answers: [resend] }), 'application/json; charset=utf-8')).json()).toEqual({
        accepted: 0,
        duplicates: 1,
      });
      expect(store.all().find((a) => a.id === first.id)).toMatchObject({ score: 9, emotions: ['valued'], comment: 'Kind staff' });
    });

    it('refuses, with 4xx, what can never be stored: invalid answers, bad JSON, other content types', async () => {
      const bad = await post(JSON.stringify({ answers: [answer({ score: 11 }), answer({ id: 'nope' })] }), 'text/plain');
      expect(bad.status).toBe(400);
      expect(await bad.json()).toEqual({
        errors: [
          { index: 0, path: 'answers[0].score', message: expect.stringContaining('score is missing or out of range') },
          { index: 1, path: 'answers[1].id', message: expect.any(String) },
        ],
      });
      expect((await post('{"answers": [', 'text/plain')).status).toBe(400);
      expect((await post(JSON.stringify({ answers: [answer()] }), 'application/x-www-form-urlencoded')).status).toBe(415);
    });

    it('takes impressions too, each stored once', async () => {
      const shown = {
        id: crypto.randomUUID(),
        responseId: 'r1',
        touchpoint: 'checkout_complete',
        event: 'shown',
        at: '2026-11-22T10:00:00.000Z',
        v: 1,
      };
      const batch = JSON.stringify({ impressions: [shown] });
      expect(await (await post(batch, 'text/plain')).json()).toEqual({ accepted: 1, duplicates: 0 });
      expect(await (await post(batch, 'text/plain')).json()).toEqual({ accepted: 0, duplicates: 1 });
      expect(store.impressions()).toEqual([shown]);
    });

    it('answers the preflight that application/json causes', async () => {
      const res = await post('', undefined, 'OPTIONS');
      expect(res.status).toBe(204);
      expect(res.headers.get('access-control-allow-headers')).toBe('Content-Type');
    });
  });
}

let server: Server | undefined;
afterAll(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

backendContract('the Express recipe', async () => {
  const store = memoryStore();
  server = createApp(store).listen(0);
  await new Promise((resolve) => server!.once('listening', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/answers`;
  const post: Post = (body, contentType, method = 'POST') =>
    fetch(url, {
      method,
      body: method === 'POST' ? body : undefined,
      headers: { Origin: ORIGIN, ...(contentType ? { 'Content-Type': contentType } : {}) },
    });
  return { post, store };
});

backendContract('the serverless (fetch) recipe', async () => {
  const store = memoryStore();
  const handle = createHandler(store);
  const post: Post = (body, contentType, method = 'POST') =>
    handle(
      new Request('https://collector.example.com/api/answers', {
        method,
        body: method === 'POST' ? body : undefined,
        headers: { Origin: ORIGIN, ...(contentType ? { 'Content-Type': contentType } : {}) },
      }),
    );
  return { post, store };
});

describe("README's Quick start", () => {
  it('shows demo/recipes/plain/index.html as it is, the page the browser test answers', () => {
    const page = readFileSync(fileURLToPath(new URL('../../demo/recipes/plain/index.html', import.meta.url)), 'utf8');
    expect(readmeBlocksUnder('Quick start', 'html')[0]).toBe(page);
  });
});

describe("README's backend recipe", () => {
  it('shows lines of demo/recipes/backend/ as they are (comments and … aside)', () => {
    const blocks = readmeBlocksUnder('Your own backend', 'js');
    expect(blocks).toHaveLength(3);
    for (const block of blocks) {
      const file = /demo\/recipes\/backend\/\w+\.mjs/.exec(block)![0];
      const source = readFileSync(fileURLToPath(new URL(`../../${file}`, import.meta.url)), 'utf8')
        .split('\n')
        .map((l) => l.trim());
      for (const line of block
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('//')))
        expect(source, `${file}: ${line}`).toContain(line);
    }
  });
});

describe('the recipes index', () => {
  const read = (file: string) => readFileSync(fileURLToPath(new URL(`../../${file}`, import.meta.url)), 'utf8');
  const links = [...read('demo/recipes/index.html').matchAll(/<li><a href="([^"]+)">([^<]+)<\/a>/g)].map(([, href, name]) => ({
    href: href!,
    name: name!,
  }));

  it("links a page for every browser recipe under README's Recipes, and each page exists", () => {
    const readme = read('README.md');
    const recipes = readme.slice(readme.indexOf('\n## Recipes\n'), readme.indexOf('\n## ', readme.indexOf('\n## Recipes\n') + 1));
    const browserRecipes = [...recipes.matchAll(/^### (.+)$/gm)]
      .map(([, h]) => h!)
      .filter((h) => h !== 'Your own backend' && h !== 'Answers in a spreadsheet');
    expect(browserRecipes).toEqual(['Plain HTML', 'React', 'Vue', 'Next.js', 'Google Tag Manager']);
    expect(links.map((l) => l.name)).toEqual(browserRecipes);
    for (const { href } of links)
      expect(existsSync(fileURLToPath(new URL(`../../demo/recipes/${href}index.html`, import.meta.url))), href).toBe(true);
  });

  it('is what the npm start banner advertises, no more', () => {
    const advertised = /recipes:.*\(([^)]+)\)/.exec(read('demo/start.mjs'))![1]!.split(', ');
    expect(advertised.map((name) => name.toLowerCase())).toEqual(links.map((l) => l.name.toLowerCase()));
  });
});
