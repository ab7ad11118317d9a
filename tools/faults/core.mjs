// The fault bench: the reference collector with a wire tap and fault switches, Chromium, and
// sessions (one browser context each) that answer the widget's prompt on test/browser/pages/faults.html
// and account for every answer given. Used by test/browser/faults.test.ts and tools/faults/run.mjs.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
// The built collector: this file also runs under plain node (tools/faults/run.mjs).
import { startCollector } from '../../dist/server/index.js';

import { CHROMIUM, CHROMIUM_ARGS as ARGS } from '../chromium.mjs';

export { CHROMIUM };
const PAGES = fileURLToPath(new URL('../../test/browser/pages/', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/moodpoint.min.js', import.meta.url));

/** One answer batch of the fault page is ~330–420 bytes: a body above this carries two or more answers. */
export const ONE_ANSWER_MAX_BYTES = 560;

/**
 * Real mouse clicks at the element; `force` skips Playwright's wait for the element to be stable
 * across animation frames, which stalls for seconds in tabs other than the focused one.
 */
const clickOptions = { force: true };

/**
 * The widget is up and its prompt file is in the page: a first view loads it to validate the
 * config, a later one at idle for the eligible touchpoint. A page that loses the network before
 * then cannot show a prompt at all, which is not a fault these runs inject.
 */
const widgetReady = (page) =>
  page.waitForFunction(() => typeof window.moodpoint?.show === 'function' && !!window[Symbol.for('moodpoint.prompt')]);

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `fn` until it returns a truthy value or `timeoutMs` passes; resolves with the last value. */
export async function waitFor(fn, timeoutMs, everyMs = 50) {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value || Date.now() >= end) return value;
    await sleep(everyMs);
  }
}

/** A small seeded PRNG (mulberry32) with helpers; the same seed gives the same fault sequence. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  return { next, int, pick: (list) => list[int(0, list.length - 1)], chance: (p) => next() < p };
}

/** The seed of run `index` of a series started with `seed`. */
export const runSeed = (seed, index) => (Math.imul(seed >>> 0, 2654435761) + Math.imul(index + 1, 40503)) >>> 0;

// ---------------------------------------------------------------------------------------------
// Faults at the collector. `decide(post)` returns 'drop' (the connection is cut), 'cut' (the body
// is held unread until the client goes away: an in-flight request that dies with its page),
// `{ status, headers }`, or undefined (normal service).

export const faults = {
  none: () => undefined,
  drop: () => ({ name: 'drop', decide: () => 'drop' }),
  /** The next `k` posts get `status`; `recovered` is when the last of them was served. */
  status(status, k = 1, headers) {
    const f = { name: String(status), served: [], recovered: undefined };
    f.decide = () => {
      if (f.served.length >= k) return undefined;
      f.served.push(Date.now());
      if (f.served.length === k) f.recovered = Date.now();
      return { status, headers };
    };
    return f;
  },
  /** 413 for any body that carries more than one answer. */
  tooLarge: () => ({ name: '413', decide: (post) => (post.bytes > ONE_ANSWER_MAX_BYTES ? { status: 413 } : undefined) }),
  /** The first post is held in flight (the page closing aborts it); later ones are dropped. */
  cutThenDrop() {
    let first = true;
    return { name: 'cut', decide: () => (first ? ((first = false), 'cut') : 'drop') };
  },
};

/** How long a 'cut' request body is held before the collector reads it anyway. */
const CUT_MS = 4000;

/** Taps the collector: every answer post (time, size, ids, what was done to it) and every copy that reached the store. */
function tapCollector(collector) {
  const posts = [];
  /** id → times a copy of it reached the store */
  const arrivals = new Map();
  /** id → when it was first stored */
  const storedAt = new Map();
  const served = {};
  let fault;
  /** `{ ms, when: 'before' | 'after' }`: hold each insert's response (before or after the insert commits). */
  let hold;
  let holding = 0;

  const insert = collector.db.insertAnswers.bind(collector.db);
  collector.db.insertAnswers = async (answers, options) => {
    const h = hold;
    holding++;
    try {
      if (h?.when === 'before') await sleep(h.ms);
      const result = await insert(answers, options);
      const at = Date.now();
      for (const a of answers) {
        arrivals.set(a.id, [...(arrivals.get(a.id) ?? []), at]);
        if (!storedAt.has(a.id)) storedAt.set(a.id, at);
      }
      if (h?.when === 'after') await sleep(h.ms);
      return result;
    } finally {
      holding--;
    }
  };

  collector.setFault((req) => {
    const post = { at: Date.now(), bytes: Number(req.headers['content-length'] ?? 0), ids: undefined, outcome: 'ok', done: false };
    posts.push(post);
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    // A request is over when its body has arrived or its connection is gone (dropped, cut, aborted).
    req.on('close', () => (post.done = true));
    req.on('end', () => {
      try {
        post.ids = JSON.parse(Buffer.concat(chunks).toString('utf8')).answers.map((a) => a.id);
      } catch {
        post.ids = [];
      }
    });
    const verdict = fault?.decide(post);
    if (verdict === undefined) return undefined;
    post.outcome = typeof verdict === 'string' ? verdict : String(verdict.status);
    served[post.outcome] = (served[post.outcome] ?? 0) + 1;
    if (verdict === 'cut') {
      req.pause();
      setTimeout(() => req.resume(), CUT_MS).unref();
      return undefined;
    }
    return verdict;
  });

  return {
    posts,
    arrivals,
    storedAt,
    served,
    get fault() {
      return fault;
    },
    set fault(f) {
      fault = f;
    },
    get hold() {
      return hold;
    },
    set hold(h) {
      hold = h;
    },
    get holding() {
      return holding;
    },
    /** No post is still arriving and no insert is under way: whatever has been sent so far has landed. */
    get quiet() {
      return holding === 0 && posts.every((p) => p.done);
    },
  };
}

/** Starts the collector (in memory, no rate limit, serving test/browser/pages under /test/) with its tap, and Chromium. */
export async function startBench() {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
  if (!existsSync(DIST)) throw new Error('dist/moodpoint.min.js is missing: run npm run build');
  const logs = [];
  // The bench reads what was stored from the store itself, so its read token is never used.
  const collector = await startCollector({
    readToken: randomUUID(),
    staticRoutes: { '/test/': PAGES },
    rateLimit: false,
    log: (line) => logs.push(line),
  });
  const wire = tapCollector(collector);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const sessions = new Set();
  return {
    collector,
    browser,
    wire,
    logs,
    url: collector.url,
    /** Restores normal service: no fault, no hold. */
    heal() {
      wire.fault = undefined;
      wire.hold = undefined;
    },
    async session(site, options) {
      const s = await newSession(this, site, options);
      sessions.add(s);
      return s;
    },
    async close() {
      await Promise.all([...sessions].map((s) => s.close()));
      await browser.close().catch(() => {});
      await collector.close();
    },
  };
}

// ---------------------------------------------------------------------------------------------
// A session: one browser context (its own IndexedDB), one `site` that tags its answers.

async function newSession(bench, site, { impressions = true } = {}) {
  const { wire, url } = bench;
  const context = await bench.browser.newContext();
  context.setDefaultTimeout(10_000);
  /** id → the answer as the page's `answer` event gave it */
  const given = new Map();
  /** id → HTTP status, from `error` events naming rejected answers */
  const dead = new Map();
  const errorEvents = [];
  const pageErrors = [];
  const unhandled = [];
  /** Moments the network came back: `{ at, pending }`. */
  const restores = [];
  const notes = [];
  const consoleLines = [];
  const cdpSessions = new WeakMap();
  let tabs = 0;
  const tabOf = new WeakMap();
  /** id → which tab gave it, and when */
  const origin = new Map();
  let seq = 0;
  let closed = false;

  await context.exposeBinding('__mpReport', (_source, type, payload) => {
    if (type === 'answer') given.set(payload.answer.id, payload.answer);
    else if (type === 'error') {
      errorEvents.push(payload);
      if (payload.status) for (const id of payload.ids ?? []) dead.set(id, payload.status);
    } else if (type === 'unhandledrejection') unhandled.push(payload);
  });
  context.on('weberror', (e) => pageErrors.push(String(e.error()?.stack ?? e.error())));

  const pending = () => [...given.keys()].filter((id) => !wire.storedAt.has(id) && !dead.has(id));

  const s = {
    site,
    context,
    given,
    dead,
    errorEvents,
    pageErrors,
    unhandled,
    restores,
    notes,
    consoleLines,
    origin,
    pending,
    /** Opens the fault page in a new tab of this context and waits for the widget. */
    async open({ debug = !!process.env.FAULTS_DEBUG } = {}) {
      const page = await context.newPage();
      const tab = ++tabs;
      tabOf.set(page, tab);
      page.on('console', (m) => consoleLines.push(`${Date.now() % 1e6} tab ${tab}: ${m.text()}`));
      const query = `site=${encodeURIComponent(site)}${debug ? '&debug' : ''}${impressions ? '' : '&impressions=off'}`;
      await page.goto(`${url}/test/faults.html?${query}`);
      await widgetReady(page);
      return page;
    },
    async reload(page) {
      await page.reload();
      await widgetReady(page);
    },
    /**
     * Shows the prompt, clicks a score and closes the thank-you; resolves with the answer once the
     * page reported it (and, with `queued`, once it is in the IndexedDB outbox).
     */
    async answer(page, score = 7, { queued = false } = {}) {
      const n = ++seq;
      const shown = await page.evaluate(([site, n]) => window.moodpoint('show', 'faults', { run: site, n }), [site, n]);
      if (!shown) throw new Error('the prompt did not show');
      await page.getByRole('radio', { name: new RegExp(`^${score}\\b`) }).click(clickOptions);
      const find = () => [...given.values()].find((a) => a.context?.n === n);
      const answer = await waitFor(find, 5_000);
      if (!answer) throw new Error(`answer ${n} was not reported by the page`);
      origin.set(answer.id, { tab: tabOf.get(page), at: Date.now() });
      await page.getByRole('button', { name: 'Close' }).click(clickOptions);
      if (queued && !(await waitFor(() => page.evaluate(inOutbox, answer.id).catch(() => false), 5_000))) {
        throw new Error(`answer ${answer.id} did not reach the IndexedDB outbox`);
      }
      return answer;
    },
    flush: (page) => page.evaluate(() => window.moodpoint('flush')),
    /** Fires `online` in every page of the context, as a network coming back does. */
    async online() {
      await context.setOffline(true);
      await context.setOffline(false);
    },
    /** The network is back now: answers pending at this moment measure their delivery latency from here. */
    restored(at = Date.now()) {
      const ids = [...given.keys()].filter(
        (id) => (origin.get(id)?.at ?? 0) <= at && !((wire.storedAt.get(id) ?? Infinity) <= at) && !dead.has(id),
      );
      if (ids.length) restores.push({ at, pending: new Set(ids) });
    },
    /** Waits until every answer given is stored or dead-lettered; false when `timeoutMs` passed first. */
    delivered: (timeoutMs) => waitFor(() => pending().length === 0, timeoutMs),
    /**
     * Waits until every answer given is stored or dead-lettered and acknowledged: gone from the
     * outbox of `page`. The collector stores an answer before its 2xx reaches the page, so a
     * stored answer can still be queued for a moment.
     */
    async settled(page, timeoutMs) {
      const end = Date.now() + timeoutMs;
      if (!(await s.delivered(timeoutMs))) return false;
      const acked = async () => {
        for (const id of given.keys()) if (await page.evaluate(inOutbox, id)) return false;
        return true;
      };
      return waitFor(acked, Math.max(0, end - Date.now()));
    },
    /** `Storage.overrideQuotaForOrigin` for the collector's origin; undefined restores the real quota. */
    async quota(page, bytes) {
      // The override lasts as long as the DevTools session that made it: keep it open.
      const cdp = cdpSessions.get(page) ?? (await context.newCDPSession(page));
      cdpSessions.set(page, cdp);
      await cdp.send('Storage.overrideQuotaForOrigin', bytes === undefined ? { origin: url } : { origin: url, quotaSize: bytes });
    },
    /** Unhandled rejections counted by the page itself (faults.js), over the pages still open. */
    async pageUnhandled() {
      let n = 0;
      for (const p of context.pages()) n += await p.evaluate(() => window.__mpUnhandled ?? 0).catch(() => 0);
      return n;
    },
    /** What the collector stored for this session, against what was given. */
    async tally() {
      const rows = await bench.collector.db.listAnswers({ site });
      const byId = new Map();
      for (const r of rows) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
      const perShowing = new Map();
      for (const r of rows) perShowing.set(`${r.responseId}/${r.kind}`, (perShowing.get(`${r.responseId}/${r.kind}`) ?? 0) + 1);
      const unknown = rows.filter((r) => !given.has(r.id));
      let duplicatesStored = unknown.length;
      for (const copies of byId.values()) duplicatesStored += Math.max(0, copies.length - 1);
      for (const n of perShowing.values()) duplicatesStored += Math.max(0, n - 1);
      const lostIds = [...given.keys()].filter((id) => !byId.has(id) && !dead.has(id));
      const deadStored = [...dead.keys()].filter((id) => byId.has(id));
      const deadResent = [...dead.keys()].filter((id) => {
        const rejectedAt = wire.posts.find((p) => p.outcome === String(dead.get(id)) && p.ids?.includes(id))?.at ?? Infinity;
        return wire.posts.some((p) => p.at > rejectedAt && p.ids?.includes(id));
      });
      const altered = [...given.values()].filter((a) => byId.has(a.id) && !sameAnswer(a, byId.get(a.id)[0])).map((a) => a.id);
      let wireDuplicates = 0;
      for (const id of given.keys()) wireDuplicates += Math.max(0, (wire.arrivals.get(id)?.length ?? 0) - 1);
      const latencies = [];
      for (const id of given.keys()) {
        const at = wire.storedAt.get(id);
        if (at === undefined) continue;
        const r = restores.filter((x) => x.at <= at && x.pending.has(id)).pop();
        if (r) latencies.push(at - r.at);
      }
      return {
        submitted: given.size,
        stored: [...given.keys()].filter((id) => byId.has(id)).length,
        lost: lostIds.length,
        lostIds,
        deadLettered: dead.size,
        deadStored,
        deadResent,
        duplicatesStored,
        wireDuplicates,
        altered,
        pageErrors: [...pageErrors],
        // The binding reports every rejection, from closed pages too; the page's own counter is the fallback.
        unhandled: Math.max(unhandled.length, closed ? 0 : await s.pageUnhandled()),
        unhandledReasons: [...unhandled],
        latencies,
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      await context.close().catch(() => {});
    },
  };
  return s;
}

/** True when the record `id` is in the widget's IndexedDB outbox, under `o:…/<id>` or an earlier version's `o:<id>` (runs in the page; never creates the database). */
export async function inOutbox(id) {
  const names = await indexedDB.databases();
  if (!names.some((d) => d.name === 'moodpoint')) return false;
  return new Promise((resolve) => {
    const req = indexedDB.open('moodpoint');
    req.onerror = () => resolve(false);
    req.onsuccess = () => {
      const db = req.result;
      db.onversionchange = () => db.close();
      if (!db.objectStoreNames.contains('kv')) return (db.close(), resolve(false));
      const get = db.transaction('kv').objectStore('kv').getAllKeys(IDBKeyRange.bound('o:', 'o:\uffff'));
      get.onsuccess = () => (db.close(), resolve(get.result.some((key) => key === `o:${id}` || key.endsWith(`/${id}`))));
      get.onerror = () => (db.close(), resolve(false));
    };
  });
}

/** Deletes the widget's database from the page (as site code or "clear site data" would); resolves 'deleted' or 'blocked'. */
export function deleteDatabase() {
  return new Promise((resolve) => {
    const req = indexedDB.deleteDatabase('moodpoint');
    req.onsuccess = () => resolve('deleted');
    req.onerror = () => resolve('error');
    req.onblocked = () => resolve('blocked');
  });
}

/**
 * Holds a connection that ignores `versionchange`, then asks to delete the database: the delete
 * stays blocked, and every later `open` of the database waits behind it. Resolves 'blocked'.
 */
export function blockDatabase() {
  return new Promise((resolve) => {
    const open = indexedDB.open('moodpoint');
    open.onerror = () => resolve('error');
    open.onsuccess = () => {
      window.__mpBlocker = open.result;
      const del = indexedDB.deleteDatabase('moodpoint');
      del.onblocked = () => resolve('blocked');
      del.onsuccess = () => resolve('deleted');
      del.onerror = () => resolve('error');
    };
  });
}

/** Closes the blocking connection of `blockDatabase`, letting the delete (and the opens queued behind it) proceed. */
export function releaseDatabase() {
  window.__mpBlocker?.close();
  window.__mpBlocker = undefined;
}

const canonical = (v) =>
  Array.isArray(v)
    ? v.map(canonical)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canonical(v[k])]),
        )
      : v;

/** The stored row carries every field of the answer as given, unchanged (it adds `receivedAt`). */
export function sameAnswer(given, stored) {
  return Object.keys(given).every((k) => JSON.stringify(canonical(given[k])) === JSON.stringify(canonical(stored[k])));
}

export const percentile = (values, p) => {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};
