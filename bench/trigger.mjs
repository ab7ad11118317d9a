import { openTab } from './tab.mjs';

/**
 * `trigger()` to the prompt's first paint on a repeat view (the config validated on the first,
 * so `init` is quick), then a click on a score to its answer in IndexedDB.
 *
 * - `cold`: triggered the moment `init` resolves, before the idle prefetch, with the HTTP cache
 *   off, so the prompt file is fetched, parsed and run after the trigger.
 * - `cached`: the same, with the HTTP cache on (the prompt file is there from the first view).
 * - `warm`: triggered the moment the prefetch has run the prompt file.
 * - `idle`: triggered once the prefetch has run it and the page is quiet again.
 */
export async function measureTrigger(browser, origin, mode) {
  const tab = await openTab(browser);
  const { page, cdp } = tab;
  try {
    await page.goto(`${origin}/case/mp-init`);
    await tab.quiet();
    if (mode === 'cold') {
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    }
    await page.goto(`${origin}/case/mp-init?trigger=${mode === 'cached' ? 'cold' : mode}`);
    const { before, ms } = await page.evaluate(() => globalThis.bench.triggered);
    if ((mode === 'cold' || mode === 'cached') && (before.registered || before.requested))
      throw new Error(`${mode} trigger: the prompt file was ${before.registered ? 'registered' : 'requested'} before trigger()`);
    if ((mode === 'warm' || mode === 'idle') && !before.registered) throw new Error('warm trigger: the prompt file had not run');
    await page.evaluate(() => globalThis.bench.watchAnswer());
    await page.getByRole('radio', { name: /^7\b/ }).click();
    const clickMs = await page.evaluate(() => globalThis.bench.answerStored());
    const { transferSize } = await page.evaluate(() => globalThis.bench.promptState());
    if (mode === 'cold' && !transferSize) throw new Error('cold trigger: the prompt file came from a cache');
    if (mode === 'cached' && transferSize) throw new Error('cached trigger: the prompt file came over the network');
    tab.check();
    return { ms, clickMs };
  } finally {
    await tab.close();
  }
}
