/**
 * Main-thread script time of one page view, read from a Chromium trace.
 *
 * CDP `Performance.getMetrics` ScriptDuration, which the bench used before 2026-12-03, leaves out
 * the microtask checkpoint a task runs after its callback: every promise continuation (`await`,
 * `.then`) that runs after a timer, an idle callback, an IndexedDB event or a script's `load`.
 * A page that spends 20 ms in a `.then` after a `setTimeout` shows about 0.3 ms there. Code
 * written with `async` functions does most of its work in those continuations, so the trace is
 * what counts here: every interval in which the page's renderer main thread ran script.
 */

/** Trace categories that carry the page's script events, and little else (tracing them costs the page little). */
export const TRACE_CATEGORIES = ['devtools.timeline', 'v8.execute'];

/**
 * The events that run script, or compile it: each covers its callback and the microtasks run
 * after it (`RunMicrotasks`, nested or on its own).
 */
const SCRIPT_EVENTS = new Set([
  'EvaluateScript',
  'v8.compile',
  'v8.compileModule',
  'v8.evaluateModule',
  'FunctionCall',
  'TimerFire',
  'FireIdleCallback',
  'FireAnimationFrame',
  'EventDispatch',
  'XHRReadyStateChange',
  'XHRLoad',
  'RunMicrotasks',
]);

/** Total length of the union of `[ts, ts + dur)` intervals, in ms: nested events count once. */
function unionMs(events) {
  let total = 0;
  let end = -Infinity;
  for (const e of [...events].sort((a, b) => a.ts - b.ts)) {
    const from = Math.max(e.ts, end);
    const to = e.ts + e.dur;
    if (to > from) total += to - from;
    end = Math.max(end, to);
  }
  return total / 1000;
}

/**
 * Script time on the main thread of the renderer that parsed `url`, from that document's start
 * (its first `ParseHTML`) on: the previous document's `pagehide` and `unload` handlers, which
 * run in the same trace when a tab navigates, are not this view's.
 *
 * @param {Array<{ name: string, ph: string, pid: number, tid: number, ts: number, dur?: number, args?: any }>} events
 * @param {string} url
 */
export function scriptMsOf(events, url) {
  const parse = events.filter((e) => e.name === 'ParseHTML' && e.args?.beginData?.url === url).sort((a, b) => a.ts - b.ts)[0];
  if (!parse) throw new Error(`the trace has no ParseHTML of ${url}: the page's renderer was not traced`);
  const start = parse.ts;
  return unionMs(
    events.filter(
      (e) => e.pid === parse.pid && e.tid === parse.tid && e.ph === 'X' && e.dur > 0 && e.ts >= start && SCRIPT_EVENTS.has(e.name),
    ),
  );
}
