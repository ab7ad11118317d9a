/**
 * The in-page half of `npm run bench`, loaded first on every bench page, with a script under test
 * and without: what it costs itself is in both. Every duration is taken with the page's own
 * clock, so the round trips between Node and the browser are never part of a measurement.
 */
(() => {
  /** Registered before any script under test runs. */
  const longTasks = [];
  const frames = [];
  new PerformanceObserver((list) => longTasks.push(...list.getEntries())).observe({ type: 'longtask', buffered: true });
  new PerformanceObserver((list) => frames.push(...list.getEntries())).observe({ type: 'long-animation-frame', buffered: true });
  // The outbox posts thousands of batches; each one's timing is read back.
  performance.setResourceTimingBufferSize(100_000);

  const PROMPT_FILE = 'moodpoint.prompt.js';
  const PROMPT_KEY = Symbol.for('moodpoint.prompt');
  const registered = () => !!window[PROMPT_KEY];
  const idle = () => new Promise((resolve) => requestIdleCallback(() => resolve()));
  const loaded = new Promise((resolve) => (document.readyState === 'complete' ? resolve() : addEventListener('load', () => resolve())));

  /** Resolves once the prompt file has run: at once if it has, else when the loader's script element for it has loaded. */
  function promptRegistered() {
    return new Promise((resolve, reject) => {
      if (registered()) return resolve();
      const observer = new MutationObserver((records) => {
        for (const node of records.flatMap((r) => [...r.addedNodes])) {
          if (!(node instanceof HTMLScriptElement) || !node.src.endsWith(PROMPT_FILE)) continue;
          observer.disconnect();
          node.addEventListener('load', () => (registered() ? resolve() : reject(new Error(`${PROMPT_FILE} loaded but did not register`))));
          node.addEventListener('error', () => reject(new Error(`${PROMPT_FILE} did not load`)));
        }
      });
      observer.observe(document, { childList: true, subtree: true });
    });
  }

  /** Whether the prompt file has run, and how it was fetched in this page view (if it was). */
  function promptState() {
    const entry = performance.getEntriesByType('resource').find((e) => e.name.endsWith(PROMPT_FILE));
    return { registered: registered(), requested: !!entry, transferSize: entry?.transferSize ?? 0 };
  }

  /**
   * Each long task, with the script the browser attributes most of it to: the long animation
   * frame entries that overlap it name their scripts (URL, or the invoker for inline code).
   */
  function tasks() {
    return longTasks.map((t) => {
      const end = t.startTime + t.duration;
      let by = '';
      let most = 0;
      for (const s of frames.flatMap((f) => f.scripts)) {
        const overlap = Math.min(end, s.startTime + s.duration) - Math.max(t.startTime, s.startTime);
        if (overlap > most) [most, by] = [overlap, s.sourceURL || s.invoker];
      }
      return { duration: t.duration, by };
    });
  }

  /** Resolves after the next frame was rendered: a task queued from requestAnimationFrame runs after its paint. */
  const nextPaint = () =>
    new Promise((resolve) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve();
        channel.port2.postMessage(null);
      }),
    );

  const widget = () => document.querySelector('moodpoint-widget');
  const dialog = () => widget()?.shadowRoot?.querySelector('[role="dialog"]');

  /** Resolves once the prompt's dialog is in the widget's shadow root (observers, not polling, so no frame is lost). */
  function dialogAppears() {
    return new Promise((resolve) => {
      const watched = [];
      const observers = [];
      const check = () => {
        const root = widget()?.shadowRoot;
        if (root && !watched.includes(root)) watch(root);
        if (dialog()) {
          observers.forEach((o) => o.disconnect());
          resolve();
        }
      };
      const watch = (node) => {
        watched.push(node);
        const observer = new MutationObserver(check);
        observer.observe(node, { childList: true, subtree: true });
        observers.push(observer);
      };
      watch(document.body);
      check();
    });
  }

  /** Times `trigger(event)` to the prompt's first paint; fails when no prompt comes. */
  async function triggerToPaint(event) {
    if (dialog()) throw new Error('a prompt is on screen before trigger()');
    const shown = dialogAppears();
    const start = performance.now();
    const result = moodpoint('trigger', event);
    await Promise.race([
      shown,
      result.then((ok) => {
        if (!ok) throw new Error(`trigger("${event}") showed nothing`);
        return shown;
      }),
    ]);
    await nextPaint();
    return performance.now() - start;
  }

  /**
   * Takes the promise of `moodpoint('init', …)`. With `prompt`, the page is ready only once the
   * prompt file has run too (prefetched at idle when a touchpoint is eligible). With `?trigger=cold`
   * the prompt is triggered the moment `init` resolves, before any prefetch; with `?trigger=warm`
   * the moment the prompt file has run; with `?trigger=idle` once it has and the page is quiet.
   */
  function start(initialised, { prompt = false } = {}) {
    const started = Promise.resolve(initialised).then((ok) => {
      if (ok !== true) throw new Error(`moodpoint init resolved ${ok}`);
    });
    bench.ready = started.then(() => (prompt ? promptRegistered() : undefined));
    const mode = new URLSearchParams(location.search).get('trigger');
    if (mode)
      bench.triggered = started.then(async () => {
        if (mode === 'warm') await promptRegistered();
        if (mode === 'idle') await quiet();
        const before = promptState();
        return { before, ms: await triggerToPaint('order_confirmed') };
      });
  }

  /** The page has settled: loaded, the script under test ready, then two idle callbacks (the network is Node's to check). */
  async function quiet() {
    await loaded;
    await bench.ready;
    await idle();
    await idle();
    return promptState();
  }

  /** One connection to the widget's database; creates the store as idb-keyval would if it is not there yet. */
  const openKv = () =>
    new Promise((resolve, reject) => {
      const request = indexedDB.open('moodpoint');
      request.onupgradeneeded = () => request.result.createObjectStore('kv');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });

  const get = (db, key) =>
    new Promise((resolve, reject) => {
      const request = db.transaction('kv', 'readonly').objectStore('kv').get(key);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });

  let stored;

  /** An answer's key in the widget's outbox, as src/outbox.ts `outboxKey` makes it. */
  const outboxKey = (answer) => `o:answer/${answer.answeredAt}/${answer.id}`;

  /**
   * Arms the click-to-stored measurement before Node clicks a score: from the click event's
   * timestamp (when the input was dispatched) to the answer's outbox record being readable.
   */
  function watchAnswer() {
    const connection = openKv();
    let clickedAt;
    addEventListener('click', (e) => (clickedAt ??= e.timeStamp), { capture: true });
    stored = new Promise((resolve, reject) => {
      const off = moodpoint('on', 'answer', async ({ answer }) => {
        off();
        const db = await connection;
        const deadline = performance.now() + 5000;
        while (!(await get(db, outboxKey(answer)))) {
          if (performance.now() > deadline) return reject(new Error(`answer ${answer.id} never reached IndexedDB`));
        }
        resolve(performance.now() - clickedAt);
        db.close();
      });
    });
  }

  /**
   * Writes `count` valid answers straight into the outbox in its own format (`outboxKey` →
   * `{ answer, rev: 0 }`), in one transaction: the public API only queues answers given in a prompt.
   */
  async function enqueue(count) {
    const db = await openKv();
    const base = Date.now() - count;
    const begin = performance.now();
    await new Promise((resolve, reject) => {
      const tx = db.transaction('kv', 'readwrite');
      const store = tx.objectStore('kv');
      for (let i = 0; i < count; i++) {
        const answer = {
          id: crypto.randomUUID(),
          responseId: `bench-${i}`,
          touchpoint: 'bench',
          stage: 'purchase',
          kind: 'nps',
          score: i % 11,
          emotions: [],
          context: { orderId: i, plan: 'pro' },
          site: 'bench',
          locale: 'en',
          url: `${location.origin}/`,
          answeredAt: new Date(base + i).toISOString(),
          v: 1,
        };
        store.put({ answer, rev: 0 }, outboxKey(answer));
      }
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
    db.close();
    return performance.now() - begin;
  }

  /** Lets the flush that `init` starts end, so the timed flush is the only one. */
  const settle = () => moodpoint('flush');

  let lastFlush;

  /** `flush()` until the endpoint has acknowledged `count` answers; any `error` event fails the run. */
  async function flush(count) {
    const offs = [];
    const begin = performance.now();
    try {
      await new Promise((resolve, reject) => {
        let sent = 0;
        offs.push(
          moodpoint('on', 'sent', ({ ids }) => (sent += ids.length) >= count && resolve()),
          moodpoint('on', 'error', (e) => reject(new Error(`${e.path}: ${e.message}`))),
        );
        moodpoint('flush');
      });
    } finally {
      offs.forEach((off) => off());
    }
    lastFlush = { begin, end: performance.now() };
    return lastFlush.end - begin;
  }

  let spans;

  /**
   * For the profile of a flush: records when each IndexedDB transaction ran (creation to end, by
   * mode) and each post to `endpoint` (call to response), for the bench to split the flush's wall
   * time. (Resource Timing has no entry for the posts: the widget never reads their bodies.)
   */
  function instrument(endpoint) {
    spans = [];
    const transaction = IDBDatabase.prototype.transaction;
    IDBDatabase.prototype.transaction = function (...args) {
      const tx = transaction.apply(this, args);
      const span = { kind: tx.mode, begin: performance.now(), end: Infinity };
      spans.push(span);
      const end = () => (span.end = Math.min(span.end, performance.now()));
      for (const type of ['complete', 'abort', 'error']) tx.addEventListener(type, end);
      return tx;
    };
    const fetch = window.fetch;
    window.fetch = (input, ...rest) => {
      const response = fetch.call(window, input, ...rest);
      if (String(input) === endpoint) {
        const span = { kind: 'post', begin: performance.now(), end: Infinity };
        spans.push(span);
        response.finally(() => (span.end = performance.now())).catch(() => undefined);
      }
      return response;
    };
  }

  const bench = { ready: Promise.resolve(), start, quiet, tasks, promptState, watchAnswer, answerStored: () => stored };
  Object.assign(bench, { enqueue, settle, flush, instrument, spans: () => ({ spans, flush: lastFlush }) });
  window.bench = bench;
})();
