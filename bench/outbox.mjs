import { summarizeProfile } from './profile.mjs';
import { openTab } from './tab.mjs';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

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

/** The outbox page, quiet, with the flush that `init` starts over: the timed flush is the only one. */
async function outboxTab(browser, origin) {
  const tab = await openTab(browser);
  await tab.page.goto(`${origin}/case/outbox`);
  await tab.quiet();
  await tab.page.evaluate(() => globalThis.bench.settle());
  return tab;
}

const checkStored = async (collector, before, count) => {
  const stored = (await collector.stored()) - before;
  if (stored !== count) throw new Error(`the collector stored ${stored} of ${count} answers`);
};

/**
 * Enqueues `count` answers in a fresh context and flushes them to the collector, checking it
 * stored every one; the JS heap is sampled throughout.
 */
export async function measureOutbox(browser, origin, collector, count) {
  const tab = await outboxTab(browser, origin);
  const { page, cdp } = tab;
  try {
    await cdp.send('HeapProfiler.collectGarbage');
    const baseHeap = (await cdp.send('Runtime.getHeapUsage')).usedSize;
    const before = await collector.stored();
    const heap = sampleHeap(cdp);
    const enqueueMs = await page.evaluate((n) => globalThis.bench.enqueue(n), count);
    const flushMs = await page.evaluate((n) => globalThis.bench.flush(n), count);
    const peakHeap = await heap.stop();
    await checkStored(collector, before, count);
    tab.check();
    return { enqueueMs, flushMs, totalMs: enqueueMs + flushMs, peakHeap, addedHeap: peakHeap - baseHeap };
  } finally {
    await tab.close();
  }
}

const IDB_CALLS = new Set(['put', 'get', 'getAll', 'getAllKeys', 'delete', 'transaction', 'objectStore', 'open', 'bound']);
const file = (url) => url.slice(url.lastIndexOf('/') + 1).split('?')[0];

const SPECIAL = new Map([
  ['(idle)', 'idle'],
  ['(garbage collector)', 'garbage collection'],
  ['(program)', 'outside script'],
  ['(root)', 'outside script'],
]);
/** The nearest frame of a stack that is script with a URL: who a built-in's time is spent for. */
const owner = (stack) => stack.find((f) => f.url)?.url ?? '';

/** The categories of the page's main thread: a built-in counts as itself when it is IndexedDB, JSON or fetch, else as its caller. */
function pageCategory(stack) {
  const { functionName: name, url } = stack[0];
  if (name === '(idle)') return 'idle (waiting for the collector or IndexedDB)';
  if (SPECIAL.has(name)) return SPECIAL.get(name);
  if (!url && IDB_CALLS.has(name)) return 'IndexedDB calls';
  if (!url && (name === 'stringify' || name === 'parse')) return 'JSON';
  if (!url && name === 'fetch') return 'fetch';
  if (owner(stack).includes('/lib/moodpoint.')) return 'moodpoint script';
  return 'bench page and other';
}

/**
 * The categories of the collector's Node process (its own, as in production). Node's own code (sockets, streams, file system) counts for the first caller that is not
 * Node's: PGlite writing its files is PGlite, an HTTP response the collector sends is its HTTP.
 */
function collectorCategory(stack) {
  const { functionName: name } = stack[0];
  if (SPECIAL.has(name)) return SPECIAL.get(name);
  if (!stack[0].url && (name === 'parse' || name === 'stringify')) return 'JSON';
  const inNode = owner(stack).startsWith('node:');
  const at = stack.find((f) => f.url && !f.url.startsWith('node:'))?.url ?? '';
  if (at.includes('@electric-sql/pglite') || at.startsWith('wasm')) return 'PGlite (SQL, WebAssembly, its files)';
  if (at.includes('/zod/')) return 'zod (batch validation)';
  if (at.includes('/dist/server/') || at.includes('/dist/answer.js'))
    return inNode ? 'Node HTTP for the collector (sockets, streams)' : 'collector code';
  if (owner(stack) === 'node:inspector') return 'the profiler itself';
  if (at.includes('/bench/')) return 'bench harness (insert timing, IPC)';
  if (inNode) return 'Node (HTTP parsing, streams, timers)';
  return 'other';
}

/**
 * A function's name and place; in minified files the name says little, so a few characters of
 * the code there follow, from `sources` (URL path → text).
 */
const labeller =
  (sources = {}) =>
  ({ functionName, url, lineNumber, columnNumber }) => {
    if (!url) return functionName || '(anonymous)';
    const where = `${functionName || '(anonymous)'} ${file(url)}:${lineNumber + 1}:${columnNumber + 1}`;
    const text = Object.entries(sources).find(([path]) => url.endsWith(path))?.[1];
    if (!text) return where;
    const lineStart = text
      .split('\n')
      .slice(0, lineNumber)
      .reduce((sum, line) => sum + line.length + 1, 0);
    return `${where} \`${text.slice(lineStart + columnNumber, lineStart + columnNumber + 40).replace(/`/g, "'")}…\``;
  };

/** What the flush waits for at each moment, most telling first: a post, else an IndexedDB write, else a read. */
const KINDS = ['post', 'readwrite', 'readonly'];

/**
 * Splits the flush's wall time between the posts, IndexedDB writes and reads, and the rest
 * (script and scheduling), each moment counted once: a read's transaction can still be ending
 * while the next post has begun. Also counts each kind.
 */
function splitSpans({ spans, flush }) {
  const marks = [...new Set([flush.begin, flush.end, ...spans.flatMap((s) => [s.begin, s.end])])]
    .filter((t) => t >= flush.begin && t <= flush.end)
    .sort((a, b) => a - b);
  const split = Object.fromEntries([...KINDS, 'between'].map((k) => [k, { count: spans.filter((s) => s.kind === k).length, ms: 0 }]));
  for (let i = 1; i < marks.length; i++) {
    const mid = (marks[i - 1] + marks[i]) / 2;
    const kind = KINDS.find((k) => spans.some((s) => s.kind === k && s.begin <= mid && s.end >= mid)) ?? 'between';
    split[kind].ms += marks[i] - marks[i - 1];
  }
  return split;
}

/**
 * Where a flush of `count` answers spends its time. In the page: a CPU profile of the main
 * thread, every IndexedDB transaction timed from creation to end, and each post from call to
 * response; each moment of the flush's wall time is counted once, for the first of: a post in
 * flight, an IndexedDB write, a read, the script between. In the collector (its own process): the time of
 * its answer insert statements, and a CPU profile of the process.
 */
export async function profileOutbox(browser, origin, collector, count, sources) {
  const tab = await outboxTab(browser, origin);
  const { page, cdp } = tab;
  try {
    const before = await collector.stored();
    await page.evaluate((n) => globalThis.bench.enqueue(n), count);
    await page.evaluate((url) => globalThis.bench.instrument(url), collector.endpoint);
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
    await collector.takeInserts();
    await cdp.send('Profiler.start');
    await collector.profileStart();
    const flushMs = await page.evaluate((n) => globalThis.bench.flush(n), count);
    const nodeProfile = await collector.profileStop();
    const { profile: pageProfile } = await cdp.send('Profiler.stop');
    const inserts = await collector.takeInserts();
    const spent = splitSpans(await page.evaluate(() => globalThis.bench.spans()));
    await checkStored(collector, before, count);
    tab.check();
    return {
      count,
      flushMs,
      spent,
      inserts,
      page: summarizeProfile(pageProfile, pageCategory, labeller(sources)),
      collector: summarizeProfile(nodeProfile, collectorCategory, labeller()),
    };
  } finally {
    await tab.close();
  }
}
