import { TRACE_CATEGORIES, scriptMsOf } from './mainThread.mjs';

/** How long a page may take to settle before the measurement counts as broken, at 1× CPU. */
const QUIET_TIMEOUT_MS = 30_000;

/** Requests of a page still in flight, and a promise for the moment there are none. */
function watchNetwork(page) {
  const open = new Set();
  let waiting = [];
  const done = (request) => {
    open.delete(request);
    if (open.size) return;
    waiting.forEach((resolve) => resolve());
    waiting = [];
  };
  page.on('request', (request) => open.add(request));
  page.on('requestfinished', done);
  page.on('requestfailed', done);
  return {
    get busy() {
      return open.size > 0;
    },
    idle: () => (open.size ? new Promise((resolve) => waiting.push(resolve)) : Promise.resolve()),
    urls: () => [...open].map((r) => r.url()).join(', '),
  };
}

/** `promise`, or an error naming `what` once `deadline` has passed: a page that never settles fails the run. */
function within(promise, deadline, what) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not settled after ${QUIET_TIMEOUT_MS} ms: ${what()}`)), Math.max(0, deadline - Date.now()));
  });
  return Promise.race([promise, late]).finally(() => clearTimeout(timer));
}

/**
 * A fresh browser context (a new renderer, nothing compiled or cached) with one page, a CDP
 * session on it, CPU throttling when asked, and the page's errors collected: any error in the
 * page fails the run.
 */
export async function openTab(browser, { throttle = 1 } = {}) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const network = watchNetwork(page);
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');
  if (throttle !== 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: throttle });
  const check = () => {
    if (errors.length) throw new Error(`the page threw: ${errors[0]}`);
  };
  return {
    page,
    cdp,
    check,
    /**
     * Waits until the page is quiet: loaded, its script ready (`bench.ready`), two idle callbacks
     * run, and no request in flight, all at once. Resolves with the prompt file's state.
     */
    async quiet() {
      const deadline = Date.now() + QUIET_TIMEOUT_MS * throttle;
      for (;;) {
        const state = await within(
          page.evaluate(() => globalThis.bench.quiet()),
          deadline,
          () => 'the page is not ready',
        );
        check();
        if (!network.busy) return state;
        await within(network.idle(), deadline, () => `still loading ${network.urls()}`);
      }
    },
    /**
     * Runs `view` (which navigates to `url` and waits) with the page traced, and resolves with the
     * main thread's script time of that document from its start (see mainThread.mjs).
     */
    async traced(url, view) {
      const events = [];
      const collect = ({ value }) => events.push(...value);
      cdp.on('Tracing.dataCollected', collect);
      try {
        await cdp.send('Tracing.start', { traceConfig: { includedCategories: TRACE_CATEGORIES }, transferMode: 'ReportEvents' });
        const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
        let result;
        try {
          result = await view();
        } finally {
          await cdp.send('Tracing.end');
          await complete;
        }
        return { result, mainMs: scriptMsOf(events, url) };
      } finally {
        cdp.off('Tracing.dataCollected', collect);
      }
    },
    /**
     * CDP `Performance.getMetrics` ScriptDuration since this document started (reset by each
     * navigation). It misses promise continuations (see mainThread.mjs): kept to compare with
     * runs before 2026-12-03.
     */
    async scriptMs() {
      const { metrics } = await cdp.send('Performance.getMetrics');
      return metrics.find((m) => m.name === 'ScriptDuration').value * 1000;
    },
    close: () => context.close(),
  };
}
