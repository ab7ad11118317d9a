import { openTab } from './tab.mjs';

/**
 * One page, three times in the same tab of a fresh context: the first view, then a repeat view
 * (the HTTP cache, sessionStorage and IndexedDB kept from the first, as for a returning visitor),
 * then a third view. Chromium makes a script's code cache on its second load and uses it from the
 * third, so the repeat view pays for making it and the third view is what most page views of a
 * returning visitor cost. For
 * each view, once the page is quiet: its main-thread script time from a trace (and CDP's
 * ScriptDuration, for comparison), its long tasks with the script each is
 * attributed to, and whether the prompt file ran.
 */
export async function measureLoad(browser, url, { throttle = 1 } = {}) {
  const tab = await openTab(browser, { throttle });
  try {
    const views = [];
    for (let i = 0; i < 3; i++) {
      const { result: prompt, mainMs } = await tab.traced(url, async () => {
        await tab.page.goto(url);
        return tab.quiet();
      });
      views.push({ mainMs, scriptMs: await tab.scriptMs(), tasks: await tab.page.evaluate(() => globalThis.bench.tasks()), prompt });
    }
    tab.check();
    const [first, repeat, later] = views;
    return { first, repeat, later };
  } finally {
    await tab.close();
  }
}
