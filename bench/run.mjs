/**
 * `npm run bench`: what moodpoint costs a page, next to PostHog's surveys and Sentry's feedback,
 * in headless Chromium on 127.0.0.1. Prints the tables and writes them to bench/results.md.
 *
 *   node bench/run.mjs [--runs N]   (N repetitions of each measurement, default 20; medians shown)
 *
 * Needs dist/ built and the peers installed in bench/node_modules (the npm script does both).
 */
import http from 'node:http';
import os from 'node:os';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { randomUUID } from 'node:crypto';
import { startCollector } from '../dist/server/index.js';
import { loadPeers } from './peers.mjs';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const RUNS = Number(values.runs);
if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error(`--runs takes a whole number of at least 1, not ${values.runs}`);

const OUTBOX_SIZES = [1_000, 10_000];
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** The browser tests' flags (test/browser/harness.ts): no background traffic to disturb the timings. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const read = (path) => readFileSync(new URL(path, import.meta.url), 'utf8');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const sizes = (code) => ({
  raw: Buffer.byteLength(code),
  gzip: gzipSync(code, { level: 9 }).length,
  brotli: brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
});

/** Serves the bench page and the scripts under test from memory, on its own origin (the collector is another). */
function serve(routes) {
  const server = http.createServer((req, res) => {
    const route = routes.get(new URL(req.url ?? '/', 'http://bench').pathname);
    if (!route) return void res.writeHead(404).end();
    res.writeHead(200, { 'Content-Type': route.type, 'Cache-Control': 'no-store' }).end(route.body);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Polls the page's used JS heap over CDP until stopped (performance.memory is coarse without a flag). */
function sampleHeap(cdp) {
  let running = true;
  let peak = 0;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, (await cdp.send('Runtime.getHeapUsage')).usedSize);
      await sleep(10);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return peak;
    },
  };
}

/**
 * One script in a fresh context (a new renderer, so nothing is compiled yet): its load cost, and
 * for moodpoint also trigger → first paint and click → IndexedDB, with the long tasks and layout
 * shifts of the whole visit.
 */
async function measureScript(browser, origin, endpoint, script) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${origin}/`);
    const load = await page.evaluate(
      ([url, setupUrl]) => bench.load(url, setupUrl),
      [`/lib/${script.key}.js`, script.setup && `/lib/${script.key}-setup.js`],
    );
    const result = { evaluateMs: load.evaluateMs, longTasks: load.longTasks, layoutShift: load.layoutShift };
    if (script.key === 'moodpoint') {
      result.toVisibleMs = await page.evaluate((e) => bench.showPrompt(e), endpoint);
      await page.evaluate(() => bench.watchAnswer());
      await page.getByRole('radio', { name: /^7\b/ }).click();
      result.clickToStoredMs = await page.evaluate(() => bench.answerStored());
      await sleep(500);
      Object.assign(result, await page.evaluate((start) => bench.costSince(start), load.start));
    }
    if (errors.length) throw new Error(`${script.name} threw in the page: ${errors[0]}`);
    return result;
  } finally {
    await context.close();
  }
}

/** Enqueues `count` answers in a fresh context and flushes them to the collector, checking it stored them all. */
async function measureOutbox(browser, origin, endpoint, collector, count) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    await page.evaluate((url) => bench.load(url), '/lib/moodpoint.js');
    await page.evaluate((e) => bench.initOutbox(e), endpoint);
    const cdp = await context.newCDPSession(page);
    await cdp.send('HeapProfiler.collectGarbage');
    const baseHeap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
    const before = await collector.db.count();
    const heap = sampleHeap(cdp);
    const enqueueMs = await page.evaluate((n) => bench.enqueue(n), count);
    const flushMs = await page.evaluate((n) => bench.flush(n), count);
    const peakHeap = await heap.stop();
    const stored = (await collector.db.count()) - before;
    if (stored !== count) throw new Error(`the collector stored ${stored} of ${count} answers`);
    return { enqueueMs, flushMs, totalMs: enqueueMs + flushMs, peakHeap, addedHeap: peakHeap - baseHeap };
  } finally {
    await context.close();
  }
}

/** The machine, for the report; the load average says whether other work shared the CPUs. */
function machine(browserVersion, loadBefore) {
  const model = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m)?.[1] ?? os.cpus()[0]?.model ?? 'unknown CPU';
  return {
    cpus: os.availableParallelism(),
    model: model.trim(),
    chromium: browserVersion,
    node: process.version,
    date: new Date()
      .toISOString()
      .replace(/:\d\d\.\d+Z$/, ' UTC')
      .replace('T', ' '),
    load: `${loadBefore.toFixed(2)} before, ${os.loadavg()[0].toFixed(2)} after`,
  };
}

const n = (x) => Math.round(x).toLocaleString('en-US');
const ms = (x) => `${x.toFixed(1)} ms`;
const ratio = (ours, theirs) => `${(ours / theirs).toFixed(2)}×`;
const mb = (bytes) => `${(bytes / 1048576).toFixed(1)} MB`;
/** Median, fastest and slowest of one field, formatted as milliseconds. */
const spread = (rows, field) => {
  const xs = rows.map((r) => r[field]);
  return [median(xs), Math.min(...xs), Math.max(...xs)].map(ms);
};
const table = (head, rows) =>
  [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i ? '---:' : '---')).join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join(
    '\n',
  );

/** The report, as Markdown: printed as it is and written to bench/results.md. */
function report({ info, scripts, loads, outbox, stacks }) {
  const ours = scripts[0];
  const prompt = loads[ours.key];
  const evaluateMs = (key) => median(loads[key].map((r) => r.evaluateMs));
  const longTasks = (key) => {
    const counts = loads[key].map((r) => r.longTasks);
    return `${Math.max(...counts)} (in ${counts.filter(Boolean).length} of ${counts.length} runs)`;
  };
  const shift = (key) => Math.max(...loads[key].map((r) => r.layoutShift)).toFixed(4);
  const byCount = Object.fromEntries(
    OUTBOX_SIZES.map((c) => [
      c,
      {
        total: median(outbox[c].map((r) => r.totalMs)),
        peak: median(outbox[c].map((r) => r.peakHeap)),
        added: median(outbox[c].map((r) => r.addedHeap)),
      },
    ]),
  );
  const [small, large] = OUTBOX_SIZES;
  return `# moodpoint benchmark

\`npm run bench\`, ${info.date}: ${info.model}, ${info.cpus} CPUs, Chromium ${info.chromium}, Node ${info.node};
load average ${info.load}. Headless, pages and collector on 127.0.0.1, each figure the median of
${RUNS} runs (long tasks and layout shift: the worst run).

## Script cost on page load

${table(
  ['script', 'raw', 'gzip -9', 'brotli', 'parse+compile+evaluate', 'long tasks ≥ 50 ms', 'layout shift'],
  scripts.map((s) => [s.name, n(s.bytes.raw), n(s.bytes.gzip), n(s.bytes.brotli), ms(evaluateMs(s.key)), longTasks(s.key), shift(s.key)]),
)}

moodpoint ÷ each peer (below 1 means moodpoint costs less):

${table(
  ['peer', 'gzip', 'brotli', 'parse+compile+evaluate'],
  scripts
    .slice(1)
    .map((s) => [
      s.name,
      ratio(ours.bytes.gzip, s.bytes.gzip),
      ratio(ours.bytes.brotli, s.bytes.brotli),
      ratio(evaluateMs(ours.key), evaluateMs(s.key)),
    ]),
)}

Each script runs as an inline script inserted into a fresh page (a new browser context, so nothing
is compiled or cached yet), after its text was fetched; PostHog's surveys.js evaluates on its own,
Sentry's feedback add-on after its \`@sentry/core\` (untimed), as on a page with the SDK.
moodpoint's long tasks and layout shift cover its whole visit: load, \`init\`, the prompt shown and
answered; layout shift is counted as CLS counts it (not within 500 ms of an input).

## Trigger to visible (moodpoint)

${table(
  ['step', 'median', 'fastest', 'slowest'],
  [
    ["`trigger()` → the prompt's first paint", ...spread(prompt, 'toVisibleMs')],
    ['click on a score → answer in IndexedDB', ...spread(prompt, 'clickToStoredMs')],
  ],
)}

First paint: the frame after the dialog entered the shadow root (a task queued from
\`requestAnimationFrame\`). Click: from the click event's timestamp to \`o:<id>\` being readable in
the \`moodpoint\` database.

## Outbox at scale

${table(
  ['answers', 'enqueue', 'flush to collector', 'total', 'answers/s', 'peak JS heap', 'of which added'],
  OUTBOX_SIZES.map((c) => {
    const rows = outbox[c];
    const { total, peak, added } = byCount[c];
    return [
      n(c),
      ms(median(rows.map((r) => r.enqueueMs))),
      ms(median(rows.map((r) => r.flushMs))),
      ms(total),
      n(c / (total / 1000)),
      mb(peak),
      mb(added),
    ];
  }),
)}

From ${n(small)} to ${n(large)} answers (×${large / small}): total time ×${(byCount[large].total / byCount[small].total).toFixed(1)}, peak JS heap ×${(byCount[large].peak / byCount[small].peak).toFixed(1)}
(heap added ×${(byCount[large].added / byCount[small].added).toFixed(1)}).
Answers are written into the outbox in its own format in one IndexedDB transaction (the public API
only queues answers given in a prompt), then \`flush()\` sends them in batches of 50 to the reference
collector (PGlite in a temporary directory) until it has acknowledged all; the heap is sampled over
CDP every 10 ms; "added" is the peak less the heap after a garbage collection just before.

## What a page loads in all

${table(
  ['to show a prompt', 'gzip -9', 'brotli', 'moodpoint ÷ (gzip)'],
  [
    [ours.name, n(ours.bytes.gzip), n(ours.bytes.brotli), '1.00×'],
    ...stacks.map((s) => [s.name, n(s.bytes.gzip), n(s.bytes.brotli), ratio(ours.bytes.gzip, s.bytes.gzip)]),
  ],
)}

moodpoint needs nothing else; the peers' prompts need their SDK's core as well.
`;
}

const scripts = [{ key: 'moodpoint', name: 'moodpoint.min.js', code: read('../dist/moodpoint.min.js') }, ...(await loadPeers())];
for (const s of scripts) s.bytes = sizes(s.code);
/** A stack's files are fetched and compressed one by one, so their sizes add up. */
const stacks = scripts
  .filter((s) => s.stack)
  .map(({ stack }) => {
    const each = stack.files.map(sizes);
    return { name: stack.name, bytes: { gzip: each.reduce((t, b) => t + b.gzip, 0), brotli: each.reduce((t, b) => t + b.brotli, 0) } };
  });

const routes = new Map([
  ['/', { type: 'text/html; charset=utf-8', body: read('./page.html') }],
  ['/page.js', { type: 'text/javascript; charset=utf-8', body: read('./page.js') }],
]);
for (const s of scripts) {
  routes.set(`/lib/${s.key}.js`, { type: 'text/javascript; charset=utf-8', body: s.code });
  if (s.setup) routes.set(`/lib/${s.key}-setup.js`, { type: 'text/javascript; charset=utf-8', body: s.setup });
}

const server = await serve(routes);
const origin = `http://127.0.0.1:${server.address().port}`;
const dataDir = mkdtempSync(join(os.tmpdir(), 'moodpoint-bench-'));
const collector = await startCollector({
  pgliteDir: dataDir,
  // Only the store is read back (collector.db), never the read routes.
  readToken: randomUUID(),
  rateLimit: false,
  allowedOrigins: [origin],
  siteConfigs: [],
  log: (line) => console.error(line),
});
const endpoint = `${collector.url}/api/answers`;
const loadBefore = os.loadavg()[0];
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
try {
  const loads = Object.fromEntries(scripts.map((s) => [s.key, []]));
  const outbox = Object.fromEntries(OUTBOX_SIZES.map((c) => [c, []]));
  for (let run = 0; run < RUNS; run++) {
    process.stderr.write(`run ${run + 1}/${RUNS}\n`);
    // Each run starts with a different script, so none always meets a warmer or colder machine.
    for (let i = 0; i < scripts.length; i++) {
      const script = scripts[(run + i) % scripts.length];
      loads[script.key].push(await measureScript(browser, origin, endpoint, script));
    }
    for (const count of OUTBOX_SIZES) outbox[count].push(await measureOutbox(browser, origin, endpoint, collector, count));
  }
  const markdown = report({ info: machine(browser.version(), loadBefore), scripts, loads, outbox, stacks });
  writeFileSync(new URL('./results.md', import.meta.url), markdown);
  console.log(markdown);
} finally {
  await browser.close();
  await collector.close();
  server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
