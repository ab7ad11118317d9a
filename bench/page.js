/**
 * The in-page half of `npm run bench`. Every figure is taken with the page's own clock, so the
 * round trips between Node and the browser are never part of a measurement.
 */
(() => {
  const content = document.getElementById('content');
  for (let i = 1; i <= 30; i++) {
    const p = document.createElement('p');
    p.textContent = `Paragraph ${i}: a page with enough text to scroll, so that anything pushing it around would show as a layout shift.`;
    content.append(p);
  }

  /** Registered before any script under test runs; entries are filtered by time when read. */
  const longTasks = [];
  const shifts = [];
  new PerformanceObserver((list) => longTasks.push(...list.getEntries())).observe({ type: 'longtask' });
  new PerformanceObserver((list) => shifts.push(...list.getEntries())).observe({ type: 'layout-shift' });

  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  /** Resolves after the next frame was rendered: a task queued from requestAnimationFrame runs after its paint. */
  const nextPaint = () =>
    new Promise((resolve) =>
      requestAnimationFrame(() => {
        const channel = new MessageChannel();
        channel.port1.onmessage = () => resolve();
        channel.port2.postMessage(null);
      }),
    );

  /** Runs source text as a classic inline script: it is parsed, compiled and evaluated synchronously on insertion. */
  const runScript = (source) => {
    const script = document.createElement('script');
    script.text = source;
    document.head.append(script);
  };

  const text = async (url) => (await fetch(url)).text();

  /**
   * Fetches the script first, so only parse, compile and evaluation are timed; `setupUrl` (a
   * peer's core) runs before and untimed. Long tasks and shifts are then collected for 500 ms,
   * the time a script's start-up work (timers, idle callbacks) gets to show.
   */
  async function load(url, setupUrl) {
    const [source, setup] = await Promise.all([text(url), setupUrl && text(setupUrl)]);
    if (setup) runScript(setup);
    await nextPaint();
    const start = performance.now();
    runScript(source);
    const evaluateMs = performance.now() - start;
    await sleep(500);
    return { start, evaluateMs, ...costSince(start) };
  }

  /**
   * Long tasks that overlap the time since `start`, and the layout shift since then as CLS counts
   * it: a shift within 500 ms of a click (the prompt growing a text box after a score) is the
   * answer to that input, not a surprise.
   */
  function costSince(start) {
    return {
      longTasks: longTasks.filter((e) => e.startTime + e.duration > start).length,
      layoutShift: shifts.filter((e) => e.startTime >= start && !e.hadRecentInput).reduce((sum, e) => sum + e.value, 0),
    };
  }

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

  /** Starts the widget with one NPS touchpoint, shown on `trigger('order_confirmed')`. */
  async function init(endpoint, extra = {}) {
    const started = await moodpoint('init', {
      endpoint,
      site: 'bench',
      locale: 'en',
      touchpoints: [{ id: 'bench', stage: 'purchase', prompts: ['nps'], on: { event: 'order_confirmed' } }],
      ...extra,
    });
    if (!started) throw new Error('moodpoint init failed');
  }

  /** Times `trigger()` to the prompt's first paint. */
  async function showPrompt(endpoint) {
    await init(endpoint);
    if (dialog()) throw new Error('a prompt is on screen before trigger()');
    const shown = dialogAppears();
    const start = performance.now();
    moodpoint('trigger', 'order_confirmed');
    await shown;
    await nextPaint();
    const toVisibleMs = performance.now() - start;
    // Past the entrance animation, so a shift it caused would be counted.
    await sleep(1000);
    return toVisibleMs;
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
        while (!(await get(db, `o:${answer.id}`))) {
          if (performance.now() > deadline) return reject(new Error(`answer ${answer.id} never reached IndexedDB`));
        }
        resolve(performance.now() - clickedAt);
        db.close();
      });
    });
  }

  /**
   * Writes `count` valid answers straight into the outbox in its own format (`o:<id>` →
   * `{ answer, rev: 0 }`), in one transaction: the public API only queues answers given in a prompt.
   */
  async function enqueue(count) {
    const db = await openKv();
    const base = Date.now() - count;
    const start = performance.now();
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
        store.put({ answer, rev: 0 }, `o:${answer.id}`);
      }
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error);
    });
    db.close();
    return performance.now() - start;
  }

  /**
   * Starts the widget with room for every answer (the default outbox keeps 1,000) and lets the
   * flush that `init` starts end, so the timed flush is the only one.
   */
  async function initOutbox(endpoint) {
    await init(endpoint, { outbox: { maxAnswers: 100_000 } });
    await moodpoint('flush');
  }

  /** `flush()` until the endpoint has acknowledged `count` answers; any `error` event fails the run. */
  async function flush(count) {
    const offs = [];
    const start = performance.now();
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
    return performance.now() - start;
  }

  window.bench = { load, costSince, showPrompt, watchAnswer, answerStored: () => stored, initOutbox, enqueue, flush };
})();
