import { openTab } from './tab.mjs';

/**
 * One page, twice in the same tab of a fresh context: the first view, then a repeat view (the
 * HTTP cache, sessionStorage and IndexedDB kept from the first, as for a returning visitor). For
 * each view, once the page is quiet: its script time, its long tasks with the script each is
 * attributed to, and whether the prompt file ran.
 */
export async function measureLoad(browser, url, { throttle = 1 } = {}) {
  const tab = await openTab(browser, { throttle });
  try {
    const views = [];
    for (let i = 0; i < 2; i++) {
      await tab.page.goto(url);
      const prompt = await tab.quiet();
      views.push({ scriptMs: await tab.scriptMs(), tasks: await tab.page.evaluate(() => globalThis.bench.tasks()), prompt });
    }
    tab.check();
    const [first, repeat] = views;
    return { first, repeat };
  } finally {
    await tab.close();
  }
}
