// Randomized fault runs: each run is a fresh browser context (its own IndexedDB) that answers the
// widget's prompt while a seeded random sequence of faults is injected, then lets the widget
// settle and accounts for every answer at the reference collector. `run.mjs` is the command line;
// test/browser/faults-runner.test.ts runs a few runs in the test command.
import {
  blockDatabase,
  deleteDatabase,
  faults,
  inOutbox,
  percentile,
  prng,
  releaseDatabase,
  runSeed,
  sleep,
  startBench,
  waitFor,
} from './core.mjs';

/** The faults a run mixes, by name (the table counts each one injected). */
export const FAULT_NAMES = [
  'offline',
  'drop',
  'reload',
  'close',
  'in-flight',
  '5xx',
  '429',
  '400',
  '413',
  'tabs',
  'idb-deleted',
  'idb-blocked',
  'quota',
];

/** Hard limit of one run; it stops by itself well before in practice. */
const RUN_DEADLINE_MS = 120_000;

const score = (rnd) => rnd.int(0, 10);

/**
 * Waits for the answers given in this step to be stored with no nudge. Those that are not count as
 * `stalled` (nothing failed, yet they were not sent) or `slow` (a retry did not come within the
 * window); then they are nudged with flush().
 */
async function expectByItself(c, timeoutMs, kind) {
  const mine = () => c.s.pending().filter((id) => !c.givenBefore.has(id));
  if (await waitFor(() => mine().length === 0, timeoutMs)) return;
  const stuck = mine();
  c[kind].push(...stuck);
  c.s.notes.push(`${kind}: ${stuck.length} answer(s) not sent within ${timeoutMs} ms`);
  await Promise.all(c.s.context.pages().map((p) => c.s.flush(p).catch(() => {})));
  await c.s.delivered(8_000);
}

/** Network back: no fault at the collector, the context online, `online` fired in every tab. */
async function reconnect(c) {
  c.bench.heal();
  c.s.restored();
  await c.s.online();
}

/** Opens a fresh tab and closes the old one (after storage faults, so later steps see a healthy IndexedDB). */
async function replacePage(c) {
  const old = c.page;
  c.page = await c.s.open();
  await old.close();
}

/** Each step starts with the network healthy and ends with it healthy again (answers may still be on their way). */
const STEPS = {
  async offline(c) {
    await c.s.context.setOffline(true);
    for (let i = c.rnd.int(1, 2); i > 0; i--) await c.s.answer(c.page, score(c.rnd), { queued: true });
    if (c.rnd.chance(0.5)) await c.s.flush(c.page);
    await sleep(c.rnd.int(0, 1000));
    c.s.restored();
    await c.s.context.setOffline(false);
  },
  async drop(c) {
    c.bench.wire.fault = faults.drop();
    for (let i = c.rnd.int(1, 2); i > 0; i--) await c.s.answer(c.page, score(c.rnd), { queued: true });
    if (c.rnd.chance(0.5)) await c.s.flush(c.page);
    await sleep(c.rnd.int(0, 1000));
    await reconnect(c);
  },
  async reload(c) {
    c.bench.wire.fault = faults.drop();
    for (let i = c.rnd.int(1, 2); i > 0; i--) await c.s.answer(c.page, score(c.rnd), { queued: true });
    await c.s.reload(c.page);
    if (c.rnd.chance(0.5)) await c.s.answer(c.page, score(c.rnd), { queued: true });
    await reconnect(c);
  },
  async close(c) {
    c.bench.wire.fault = faults.drop();
    for (let i = c.rnd.int(1, 2); i > 0; i--) await c.s.answer(c.page, score(c.rnd), { queued: true });
    await c.page.close();
    c.bench.heal();
    c.s.restored();
    c.page = await c.s.open(); // the next load sends them
  },
  async 'in-flight'(c) {
    const variant = c.rnd.pick(['held-ack', 'held-commit', 'cut']);
    c.s.notes.push(`in-flight: ${variant}`);
    if (variant === 'cut') c.bench.wire.fault = faults.cutThenDrop();
    else c.bench.wire.hold = { ms: c.rnd.int(1500, 3000), when: variant === 'held-ack' ? 'after' : 'before' };
    await c.s.answer(c.page, score(c.rnd));
    await waitFor(
      () => (variant === 'cut' ? c.bench.wire.posts.some((p) => p.at >= c.stepAt && p.outcome === 'cut') : c.bench.wire.holding > 0),
      5_000,
    );
    await c.page.close();
    await waitFor(() => c.bench.wire.holding === 0, 6_000);
    c.bench.heal();
    c.s.restored();
    c.page = await c.s.open();
  },
  async '5xx'(c) {
    const k = c.rnd.int(1, 2);
    const f = (c.bench.wire.fault = faults.status(c.rnd.pick([500, 502, 503]), k));
    await c.s.answer(c.page, score(c.rnd));
    // Backoff with full jitter: two failures wait at most 3 s + 5 s.
    if (await waitFor(() => f.recovered, 10_000)) c.s.restored(f.recovered);
    await expectByItself(c, 10_000, 'slow');
    c.bench.heal();
  },
  async 429(c) {
    const f = (c.bench.wire.fault = faults.status(429, 1, { 'Retry-After': '1' }));
    const a = await c.s.answer(c.page, score(c.rnd));
    await expectByItself(c, 5_000, 'slow');
    c.bench.heal();
    const posts = c.bench.wire.posts.filter((p) => p.at >= c.stepAt && p.ids?.includes(a.id));
    const limited = posts.findIndex((p) => p.outcome === '429');
    if (f.served.length && limited >= 0 && posts[limited + 1]) c.retryAfterWaits.push(posts[limited + 1].at - posts[limited].at);
  },
  async 400(c) {
    // Only the new answer must meet the 400: send what is queued first.
    await Promise.all(c.s.context.pages().map((p) => c.s.flush(p).catch(() => {})));
    await c.s.delivered(10_000);
    c.bench.wire.fault = faults.status(400, 1);
    const a = await c.s.answer(c.page, score(c.rnd));
    await waitFor(() => c.s.dead.has(a.id), 5_000);
    c.bench.heal();
  },
  async 413(c) {
    c.bench.wire.fault = faults.drop();
    for (let i = c.rnd.int(2, 4); i > 0; i--) await c.s.answer(c.page, score(c.rnd), { queued: true });
    c.bench.wire.fault = faults.tooLarge();
    c.s.restored();
    await c.s.online();
    await c.s.delivered(8_000);
    c.bench.heal();
  },
  async tabs(c) {
    const extra = [await c.s.open(), await c.s.open()];
    const tabs = [c.page, ...extra];
    if (c.rnd.chance(0.5)) {
      c.s.notes.push('tabs: answering at once on a healthy network');
      await Promise.all(tabs.map((p) => c.s.answer(p, score(c.rnd))));
      await expectByItself(c, 5_000, 'stalled');
    } else {
      c.s.notes.push('tabs: queued in three tabs, then online in all three at once');
      c.bench.wire.fault = faults.drop();
      await Promise.all(tabs.map((p) => c.s.answer(p, score(c.rnd), { queued: true })));
      await reconnect(c);
    }
    await Promise.all(tabs.map((p) => c.s.flush(p)));
    for (const p of extra) await p.close();
  },
  async 'idb-deleted'(c) {
    c.bench.wire.fault = faults.drop();
    const held = await c.s.answer(c.page, score(c.rnd), { queued: true });
    await c.page.evaluate(deleteDatabase);
    // The tab writes back what it holds as soon as the delete is through; a reload within those
    // few milliseconds would lose it (IndexedDB has no synchronous write). Counted if it ever fails.
    if (!(await waitFor(() => c.page.evaluate(inOutbox, held.id), 3_000)))
      c.s.notes.push(`idb-deleted: ${held.id} not written back within 3 s`);
    if (c.rnd.chance(0.5)) await c.s.answer(c.page, score(c.rnd), { queued: true });
    if (c.rnd.chance(0.5)) await c.s.reload(c.page);
    await reconnect(c);
  },
  async 'idb-blocked'(c) {
    c.bench.wire.fault = faults.drop();
    await c.s.answer(c.page, score(c.rnd), { queued: true });
    await c.page.evaluate(blockDatabase);
    await c.s.answer(c.page, score(c.rnd));
    await reconnect(c);
    // Memory is all this tab has now; an unload before delivery could lose it, which no store can prevent.
    await c.s.delivered(10_000);
    await c.page.evaluate(releaseDatabase);
    await replacePage(c);
  },
  /** Runs first: Chromium applies a shrunk quota to an origin's IndexedDB only before its first use (or 30 s later). */
  async quota(c) {
    c.bench.wire.fault = faults.drop();
    for (let i = c.rnd.int(1, 2); i > 0; i--) await c.s.answer(c.page, score(c.rnd));
    await reconnect(c);
    await c.s.delivered(10_000);
    await c.s.quota(c.blank, undefined);
    await replacePage(c);
  },
};

/** The fault sequence of one run: 3–6 faults, `quota` (when drawn) first. */
export function planRun(seed) {
  const rnd = prng(seed);
  const steps = [];
  for (let n = rnd.int(3, 6); n > 0; n--) steps.push(rnd.pick(FAULT_NAMES));
  const withQuota = steps.includes('quota');
  return { rnd, steps: withQuota ? ['quota', ...steps.filter((s) => s !== 'quota')] : steps };
}

/** One run, bounded in time; resolves with its tally and what was injected. */
export async function runOne(bench, seed, index) {
  const started = Date.now();
  const { rnd, steps } = planRun(seed);
  const s = await bench.session(`run-${seed.toString(16)}-${index}`);
  const c = {
    bench,
    s,
    rnd,
    page: undefined,
    blank: undefined,
    stepAt: 0,
    givenBefore: new Set(),
    stalled: [],
    slow: [],
    retryAfterWaits: [],
  };
  const errors = [];
  const servedBefore = { ...bench.wire.served };
  let timedOut = false;
  const body = async () => {
    if (steps[0] === 'quota') {
      c.blank = await s.context.newPage();
      await s.quota(c.blank, 1);
    }
    c.page = await s.open();
    for (const step of steps) {
      c.stepAt = Date.now();
      c.givenBefore = new Set(s.given.keys());
      try {
        await STEPS[step](c);
        if (process.env.FAULTS_DEBUG)
          s.notes.push(
            `${Date.now() % 1e6} after ${step}: pending ${
              s
                .pending()
                .map((id) => `${id.slice(0, 8)}@tab${s.origin.get(id)?.tab}`)
                .join(' ') || 'none'
            }`,
          );
      } catch (error) {
        errors.push(`${step}: ${String(error?.message ?? error).split('\n')[0]}`);
        bench.heal();
        await s.context.setOffline(false).catch(() => {});
        if (c.page?.isClosed()) c.page = await s.open();
      }
    }
    // Settle: the network is back for good; whatever is still queued must arrive.
    await reconnect(c);
    if (!(await s.delivered(8_000))) {
      c.nudged = s.pending().length;
      await Promise.all(s.context.pages().map((p) => s.flush(p).catch(() => {})));
      if (!(await s.delivered(8_000))) {
        c.reloaded = s.pending().length;
        await s.reload(c.page);
        await s.delivered(10_000);
      }
    }
    await waitFor(() => bench.wire.quiet, 5_000); // keepalive copies from closed tabs land
  };
  let timer;
  try {
    await Promise.race([
      body(),
      new Promise((_, reject) => (timer = setTimeout(() => ((timedOut = true), reject(new Error('run deadline'))), RUN_DEADLINE_MS))),
    ]);
  } catch (error) {
    errors.push(`run: ${String(error?.message ?? error).split('\n')[0]}`);
  } finally {
    clearTimeout(timer);
    bench.heal();
  }
  const tally = await s.tally();
  await s.close();
  const served = {};
  for (const [k, v] of Object.entries(bench.wire.served)) if (v - (servedBefore[k] ?? 0)) served[k] = v - (servedBefore[k] ?? 0);
  return {
    index,
    seed,
    steps,
    notes: s.notes,
    consoleLines: s.consoleLines,
    posts: process.env.FAULTS_DEBUG ? bench.wire.posts.filter((p) => p.at >= started) : [],
    ...tally,
    stalled: c.stalled.length,
    slow: c.slow.length,
    nudged: c.nudged ?? 0,
    reloaded: c.reloaded ?? 0,
    retryAfterWaits: c.retryAfterWaits,
    served,
    errors,
    timedOut,
    ms: Date.now() - started,
  };
}

/** Is this run a failure of the outbox's promise (SPEC §5)? */
export const violations = (r) =>
  [
    r.lost && `${r.lost} lost`,
    r.duplicatesStored && `${r.duplicatesStored} duplicates stored`,
    r.altered.length && `${r.altered.length} stored with altered fields`,
    r.deadStored.length && `${r.deadStored.length} dead-lettered yet stored`,
    r.deadResent.length && `${r.deadResent.length} dead-lettered yet sent again`,
    r.pageErrors.length && `${r.pageErrors.length} page errors`,
    r.unhandled && `${r.unhandled} unhandled rejections`,
  ].filter(Boolean);

/**
 * Runs `runs` runs of the series `seed` (or only run `only`), one collector and browser per worker,
 * and sums them up. `onRun` sees each run as it ends.
 */
export async function runSeries({ runs, seed, workers = 1, only, onRun = () => {} }) {
  const started = Date.now();
  const indices = only === undefined ? [...Array(runs).keys()] : [only];
  const results = [];
  let next = 0;
  const worker = async () => {
    const bench = await startBench();
    try {
      while (next < indices.length) {
        const index = indices[next++];
        const r = await runOne(bench, runSeed(seed, index), index);
        results.push(r);
        onRun(r, results.length, indices.length);
      }
    } finally {
      await bench.close();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(workers, indices.length)) }, worker));
  results.sort((a, b) => a.index - b.index);
  return summarize(results, seed, Date.now() - started);
}

export function summarize(results, seed, ms) {
  const sum = (f) => results.reduce((n, r) => n + f(r), 0);
  const injected = Object.fromEntries(FAULT_NAMES.map((f) => [f, 0]));
  for (const r of results) for (const s of r.steps) injected[s]++;
  const served = {};
  for (const r of results) for (const [k, v] of Object.entries(r.served)) served[k] = (served[k] ?? 0) + v;
  const latencies = results.flatMap((r) => r.latencies);
  const waits = results.flatMap((r) => r.retryAfterWaits);
  return {
    seed,
    ms,
    runs: results.length,
    submitted: sum((r) => r.submitted),
    stored: sum((r) => r.stored),
    lost: sum((r) => r.lost),
    deadLettered: sum((r) => r.deadLettered),
    wireDuplicates: sum((r) => r.wireDuplicates),
    duplicatesStored: sum((r) => r.duplicatesStored),
    altered: sum((r) => r.altered.length),
    deadStored: sum((r) => r.deadStored.length),
    deadResent: sum((r) => r.deadResent.length),
    pageErrors: sum((r) => r.pageErrors.length),
    unhandled: sum((r) => r.unhandled),
    stalled: sum((r) => r.stalled),
    slow: sum((r) => r.slow),
    nudged: sum((r) => r.nudged),
    reloaded: sum((r) => r.reloaded),
    errors: results.flatMap((r) => r.errors.map((e) => `run ${r.index}: ${e}`)),
    timedOut: sum((r) => (r.timedOut ? 1 : 0)),
    failedRuns: results
      .filter((r) => violations(r).length)
      .map((r) => ({ index: r.index, seed: r.seed, steps: r.steps, why: violations(r), lostIds: r.lostIds })),
    injected,
    served,
    latency: {
      n: latencies.length,
      p50: percentile(latencies, 50),
      p95: percentile(latencies, 95),
      max: latencies.length ? Math.max(...latencies) : undefined,
    },
    retryAfter: {
      n: waits.length,
      p50: percentile(waits, 50),
      min: waits.length ? Math.min(...waits) : undefined,
      max: waits.length ? Math.max(...waits) : undefined,
    },
    results,
  };
}

const ms = (v) => (v === undefined ? '–' : `${Math.round(v)} ms`);
const duration = (v) => `${Math.floor(v / 60_000)} min ${Math.round((v % 60_000) / 1000)} s`;

/** The table `npm run faults` prints. */
export function formatTable(t) {
  const rows = [
    ['runs', `${t.runs}${t.timedOut ? ` (${t.timedOut} hit the run deadline)` : ''}`],
    ['submitted', t.submitted],
    ['stored', t.stored],
    ['lost', t.lost],
    ['dead-lettered (400, on purpose)', t.deadLettered],
    ['duplicates on the wire', `${t.wireDuplicates} (copies of an answer the collector had already stored)`],
    ['duplicates stored', t.duplicatesStored],
    ['stored with altered fields', t.altered],
    ['dead letters stored / sent again', `${t.deadStored} / ${t.deadResent}`],
    ['page errors / unhandled rejections', `${t.pageErrors} / ${t.unhandled}`],
    ['stalled on a healthy network', `${t.stalled} (given in healthy tabs, not sent within 5 s until nudged by flush())`],
    ['retries slower than their window', `${t.slow} (5xx: 10 s, 429: 5 s; then nudged by flush())`],
    ['settled only by flush() / a reload', `${t.nudged} / ${t.reloaded}`],
    ['latency after reconnect', `p50 ${ms(t.latency.p50)}, p95 ${ms(t.latency.p95)}, max ${ms(t.latency.max)} (n = ${t.latency.n})`],
    [
      '429 Retry-After: 1, retry came after',
      `p50 ${ms(t.retryAfter.p50)}, min ${ms(t.retryAfter.min)}, max ${ms(t.retryAfter.max)} (n = ${t.retryAfter.n})`,
    ],
    ['faults injected (steps)', FAULT_NAMES.map((k) => `${k} ${t.injected[k]}`).join(', ')],
    [
      'failing responses served',
      Object.entries(t.served)
        .map(([k, v]) => `${k} ${v}`)
        .join(', ') || '–',
    ],
    ['runner errors', t.errors.length],
    ['time', duration(t.ms)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n');
}
