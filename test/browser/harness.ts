import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startCollector, type Collector } from '../../server/collector';
import { demoConfig, demoRoutes } from '../demo';
import { AUTH, TOKEN } from '../node/helpers';

export { AUTH, TOKEN };

import { CHROMIUM, CHROMIUM_ARGS as ARGS } from '../../tools/chromium.mjs';

export { CHROMIUM };

/** A collector serving the demo, the built widget and `test/browser/pages` under `/test/`, and a browser. */
export interface Harness {
  collector: Collector;
  browser: Browser;
  /** A fresh context and page that records page errors and console lines. */
  open(path: string): Promise<{ context: BrowserContext; page: Page; pageErrors: Error[]; consoleLines: string[] }>;
  close(): Promise<void>;
}

/** Starts an in-memory collector and Chromium; the built `dist/moodpoint.min.js` must exist. */
export async function startHarness(): Promise<Harness> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) or set CHROMIUM_PATH`);
  if (!existsSync(fileURLToPath(new URL('../../dist/moodpoint.min.js', import.meta.url))))
    throw new Error('dist/moodpoint.min.js is missing: run npm run build');
  const collector = await startCollector({
    readToken: TOKEN,
    siteConfigs: [demoConfig],
    staticRoutes: { ...demoRoutes(), '/test/': fileURLToPath(new URL('./pages/', import.meta.url)) },
    log: () => {},
  });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const contexts: BrowserContext[] = [];
  return {
    collector,
    browser,
    async open(path) {
      const context = await browser.newContext();
      contexts.push(context);
      const page = await context.newPage();
      const pageErrors: Error[] = [];
      const consoleLines: string[] = [];
      page.on('pageerror', (e) => pageErrors.push(e));
      page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
      await page.goto(collector.url + path);
      return { context, page, pageErrors, consoleLines };
    },
    async close() {
      await Promise.all(contexts.map((c) => c.close().catch(() => {})));
      await browser.close();
      await collector.close();
    },
  };
}

/** Answers stored by the collector. */
export async function storedAnswers(h: Harness): Promise<Record<string, unknown>[]> {
  const res = await fetch(`${h.collector.url}/api/answers`, { headers: AUTH });
  return ((await res.json()) as { answers: Record<string, unknown>[] }).answers;
}

/** Clicks a score in the open prompt; Playwright's locators pierce the open shadow root. */
export async function answer(page: Page, score: number, comment?: string): Promise<void> {
  await page.getByRole('radio', { name: new RegExp(`^${score}\\b`) }).click();
  if (comment !== undefined) {
    await page.getByRole('textbox').fill(comment);
    await page.getByRole('button', { name: 'Send' }).click();
  }
}
