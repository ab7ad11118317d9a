import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser } from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../tools/chromium.mjs';
import { serveSite } from '../../bench/site.mjs';
import { openTab } from '../../bench/tab.mjs';

// The bench's script time must see work done in promise continuations: CDP's ScriptDuration,
// which it used before, does not. A page that runs 20 ms in a `.then` after a timer has run
// script for at least those 20 ms of wall time, whatever the machine's load.
const BUSY_MS = 20;
const page = `<!doctype html><title>trace</title><script>
const busy = (ms) => { const end = performance.now() + ms; while (performance.now() < end); };
window.bench = { done: new Promise((resolve) => setTimeout(() => Promise.resolve().then(() => { busy(${BUSY_MS}); resolve(true); }))) };
window.bench.quiet = () => window.bench.done;
</script>`;

let browser: Browser;
let site: Awaited<ReturnType<typeof serveSite>>;
beforeAll(async () => {
  site = await serveSite(new Map([['/busy', { type: 'text/html; charset=utf-8', body: page }]]));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});
afterAll(async () => {
  await browser?.close();
  await site?.close();
});

describe("the bench's main-thread script time", () => {
  it('counts a busy promise continuation after a timer', async () => {
    const tab = await openTab(browser);
    try {
      const url = `${site.origin}/busy`;
      const { mainMs } = await tab.traced(url, async () => {
        await tab.page.goto(url);
        await tab.quiet();
      });
      expect(mainMs).toBeGreaterThanOrEqual(BUSY_MS);
    } finally {
      await tab.close();
    }
  });
});
